use std::collections::BTreeSet;

use proptest::prelude::*;

use super::*;

const GAP_WAIT: Duration = Duration::from_secs(3);

fn settings(rows_per_query: i64) -> FollowerSettings {
    FollowerSettings {
        rows_per_query,
        queries_per_pass: 1,
        gap_wait: GAP_WAIT,
        connection_wait: Duration::from_millis(500),
    }
}

fn row(id: i64) -> EventRow {
    EventRow {
        id,
        kind: "post.created".into(),
        community_id: None,
        thread_id: None,
        post_id: Some(id * 10),
        actor_id: None,
        payload: "{}".into(),
        created_at: 0,
    }
}

fn ids(rows: &[EventRow]) -> Vec<i64> {
    rows.iter().map(|r| r.id).collect()
}

#[test]
fn a_batch_stays_until_its_handler_succeeds() {
    let now = Instant::now();
    let mut follower = Follower::new(0, settings(100));
    follower.receive(vec![row(1), row(2)], Vec::new(), now);
    assert_eq!(ids(&follower.batch), [1, 2]);
    // The handler failed: the same batch is handed again and nothing newer is read.
    assert!(!follower.idle());
    follower.batch.clear();
    assert!(follower.idle());
    // Reading resumes after the handled batch, not before and not past it.
    assert_eq!(follower.sequencer.read_from(), 2);
    follower.receive(vec![row(3)], Vec::new(), now);
    assert_eq!(ids(&follower.batch), [3]);
}

#[test]
fn a_late_event_joins_a_batch_instead_of_being_dropped() {
    let start = Instant::now();
    let mut follower = Follower::new(0, settings(100));
    follower.receive(vec![row(1), row(3)], Vec::new(), start);
    assert_eq!(ids(&follower.batch), [1]);
    follower.batch.clear();
    let later = start + GAP_WAIT + Duration::from_secs(1);
    follower.receive(Vec::new(), Vec::new(), later);
    assert_eq!(ids(&follower.batch), [3]);
    follower.batch.clear();
    // Id 2 commits after 3 was handled: it is still handed, once.
    follower.receive(Vec::new(), vec![row(2)], later);
    assert_eq!(ids(&follower.batch), [2]);
}

#[test]
fn a_full_read_means_more_is_waiting() {
    let now = Instant::now();
    let mut follower = Follower::new(0, settings(2));
    follower.receive(vec![row(1), row(2)], Vec::new(), now);
    assert!(follower.busy());
    follower.batch.clear();
    follower.receive(vec![row(3)], Vec::new(), now);
    assert!(!follower.busy());
}

/// The log as a reader sees it: ids taken in order at insert, visible once committed.
struct Log {
    committed: BTreeSet<i64>,
}

impl Log {
    fn after(&self, from: i64, limit: i64) -> Vec<EventRow> {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        self.committed
            .range(from + 1..)
            .take(limit)
            .map(|id| row(*id))
            .collect()
    }

    fn among(&self, wanted: &[i64]) -> Vec<EventRow> {
        wanted
            .iter()
            .filter(|id| self.committed.contains(id))
            .map(|id| row(*id))
            .collect()
    }
}

/// Runs a follower over transactions `1..=count` that commit in `order` (a permutation
/// of indexes), reading after every `reads_every` commits, `elapsed` passing per read.
/// The handler fails on every `fail_every`th batch (from the 2nd). Returns the ids handed, in order.
fn follow(
    count: usize,
    order: &[usize],
    rolled_back: &BTreeSet<i64>,
    reads_every: usize,
    rows_per_query: i64,
    fail_every: usize,
    elapsed: Duration,
) -> Vec<i64> {
    let mut log = Log {
        committed: BTreeSet::new(),
    };
    let mut follower = Follower::new(0, settings(rows_per_query));
    let mut handed = Vec::new();
    let mut batches = 0usize;
    let mut now = Instant::now();
    let mut read = |log: &Log, follower: &mut Follower, now: Instant| {
        if follower.idle() {
            let rows = log.after(follower.sequencer.read_from(), rows_per_query);
            let found = log.among(&follower.sequencer.missing());
            follower.receive(rows, found, now);
        }
        if follower.batch.is_empty() {
            return;
        }
        batches += 1;
        if fail_every > 1 && batches.is_multiple_of(fail_every) {
            return;
        }
        handed.extend(ids(&follower.batch));
        follower.batch.clear();
    };
    for (done, index) in order.iter().enumerate() {
        let id = i64::try_from(index + 1).unwrap_or(i64::MAX);
        if !rolled_back.contains(&id) {
            log.committed.insert(id);
        }
        if (done + 1) % reads_every == 0 {
            read(&log, &mut follower, now);
            now += elapsed;
        }
    }
    // Everything has committed or rolled back: the follower catches up within a few
    // passes, a second apart, so the gaps left by rollbacks are given up on.
    for _ in 0..(count * 2 + 10) {
        read(&log, &mut follower, now);
        now += Duration::from_secs(1);
    }
    handed
}

fn commit_order(count: usize) -> impl Strategy<Value = Vec<usize>> {
    Just((0..count).collect::<Vec<_>>()).prop_shuffle()
}

proptest! {
    /// Transactions that all commit, in any order, read at any moments, with a handler
    /// that sometimes fails: every id is handed once, in order.
    #[test]
    fn any_interleaving_of_commits_hands_each_id_once_in_order(
        (count, order) in (1usize..40).prop_flat_map(|n| (Just(n), commit_order(n))),
        reads_every in 1usize..5,
        rows_per_query in 1i64..8,
        fail_every in 0usize..4,
    ) {
        let handed = follow(count, &order, &BTreeSet::new(), reads_every, rows_per_query,
            fail_every, Duration::from_millis(10));
        let expected: Vec<i64> = (1..=i64::try_from(count).unwrap_or(0)).collect();
        prop_assert_eq!(handed, expected);
    }

    /// Some transactions roll back, and reads may be a second apart, so gaps are given up
    /// on: every committed id is still handed exactly once. (Reads span less than the
    /// minute given-up ids are watched for; a transaction committing later than that is
    /// not handed, by design.)
    #[test]
    fn with_rollbacks_and_given_up_gaps_each_committed_id_is_handed_once(
        (count, order) in (1usize..40).prop_flat_map(|n| (Just(n), commit_order(n))),
        rolled_back in proptest::collection::btree_set(1i64..40, 0..8),
        reads_every in 1usize..5,
        rows_per_query in 1i64..8,
        fail_every in 0usize..4,
        elapsed_ms in prop_oneof![Just(10u64), Just(1_000)],
    ) {
        let handed = follow(count, &order, &rolled_back, reads_every, rows_per_query,
            fail_every, Duration::from_millis(elapsed_ms));
        let committed: Vec<i64> = (1..=i64::try_from(count).unwrap_or(0))
            .filter(|id| !rolled_back.contains(id))
            .collect();
        let mut sorted = handed.clone();
        sorted.sort_unstable();
        prop_assert_eq!(&sorted, &committed, "each committed id handed once");
        if elapsed_ms < 1_000 && rolled_back.is_empty() {
            prop_assert_eq!(handed, committed);
        }
    }
}
