//! Markdown → HTML → ammonia for a typical 2 KB post.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kindred_server::domain::markdown::render_markdown;

const POST: &str =
    "## Three weeks into chemo\n\nI wanted to write down what has **actually** helped, \
in case it is useful to someone starting out. My oncologist said to call the unit \
*any time* the fever goes over 38, so I keep a thermometer by the bed.\n\n\
- Ginger biscuits and small meals for the nausea, every two hours.\n\
- A short walk after lunch, even on the bad days. The fatigue is real, but moving helps.\n\
- Writing questions in a notebook before appointments, because I forget them in the room.\n\
- Saying yes when people offer to drive me.\n\n\
> The nurse told me: rest is part of the treatment, not a break from it.\n\n\
The neuropathy in my fingers started after the second cycle. It is mostly pins and needles \
when it is cold. I mentioned it at the review and they adjusted the dose, which I had not \
known was an option. If you have it, **tell them early**.\n\n\
Some links that helped me understand the side effects: [the hospital's patient page]\
(https://example.org/patients/chemo) and [a charity guide](https://example.org/guide).\n\n\
Scan anxiety is the worst part for me. The week before a CT I sleep badly and snap at \
everyone. My partner and I now plan something small for the evening after each scan, a \
film or a takeaway, so there is something to look forward to whatever the result.\n\n\
1. Bring a blanket to the infusion suite.\n2. Lip balm.\n3. A charger with a long cable.\n\n\
Thank you all for being here. Reading this forum at 3 a.m. has made this much less lonely. \
If anyone wants to compare notes on FOLFOX or capecitabine, I am happy to share more.\n";

fn render(c: &mut Criterion) {
    let mut group = c.benchmark_group("render");
    group.throughput(Throughput::Bytes(POST.len() as u64));
    group.bench_function("markdown_sanitize_2kb", |b| {
        b.iter(|| render_markdown("body", std::hint::black_box(POST)));
    });
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
