//! Stage 4: policy — turning label scores into an [`Action`].
//!
//! A community's [`Policy`] gives each label three thresholds: a score at or above
//! `flag` flags the post, at or above `hold` holds it, at or above `reject` (when set)
//! rejects it. Authors whose trust level is listed in `flag_instead_of_hold` get a flag
//! where others would be held. The post's action is the most severe across labels, and
//! at least a hold when it is flagged for both promotion and misinformation, whatever the
//! author's trust level (see `Screener::screen`).
//!
//! Policies are stored as JSON. Whatever a policy leaves out keeps its value in
//! [`Policy::default`], so `{}` is the default policy and `{"promotion": {"hold": 0.8}}`
//! changes one threshold only:
//!
//! ```
//! use kindred_moderation::{Action, Label, Policy, TrustLevel};
//!
//! let policy = Policy::from_json(r#"{"promotion": {"hold": 0.8}}"#)?;
//! assert_eq!(policy.promotion.hold, 0.8);
//! assert_eq!(policy.misinformation, Policy::default().misinformation);
//! let veteran = TrustLevel::new(3)?;
//! assert_eq!(policy.action(Label::Promotion, 0.9, veteran), Action::Flag);
//! assert_eq!(policy.action(Label::Promotion, 0.9, TrustLevel::NEW), Action::Hold);
//! # Ok::<(), kindred_moderation::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::{Action, Error, Label, TrustLevel};

/// Thresholds for one label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LabelPolicy {
    /// Scores at or above this flag the post for moderators.
    #[serde(serialize_with = "as_written")]
    pub flag: f32,
    /// Scores at or above this hold the post until a moderator approves it.
    #[serde(serialize_with = "as_written")]
    pub hold: f32,
    /// Scores at or above this reject the post; `None` never rejects.
    #[serde(serialize_with = "as_written_if_some")]
    pub reject: Option<f32>,
    /// Trust levels that get [`Action::Flag`] where others would get [`Action::Hold`].
    pub flag_instead_of_hold: Vec<TrustLevel>,
}

impl Default for LabelPolicy {
    fn default() -> LabelPolicy {
        LabelPolicy {
            flag: 0.5,
            hold: 0.65,
            reject: None,
            flag_instead_of_hold: Vec::new(),
        }
    }
}

/// A threshold as the moderator wrote it. Serialized as an `f32` it is exact, but
/// `serde_json::Value` and JavaScript hold numbers as `f64`, where 0.65 would become
/// 0.6499999761581421 on the policy form; the shortest decimal that reads back as the
/// same `f32` is what was written.
// serde's `serialize_with` hands the field by reference.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn as_written<S: serde::Serializer>(threshold: &f32, s: S) -> Result<S::Ok, S::Error> {
    let shortest = threshold
        .to_string()
        .parse::<f64>()
        .unwrap_or(f64::from(*threshold));
    s.serialize_f64(shortest)
}

#[allow(clippy::trivially_copy_pass_by_ref, clippy::ref_option)]
fn as_written_if_some<S: serde::Serializer>(
    threshold: &Option<f32>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match threshold {
        Some(threshold) => as_written(threshold, s),
        None => s.serialize_none(),
    }
}

impl LabelPolicy {
    /// The action this label calls for at `score` for an author of `trust`.
    pub fn action(&self, score: f32, trust: TrustLevel) -> Action {
        if self.reject.is_some_and(|reject| score >= reject) {
            Action::Reject
        } else if score >= self.hold {
            if self.flag_instead_of_hold.contains(&trust) {
                Action::Flag
            } else {
                Action::Hold
            }
        } else if score >= self.flag {
            Action::Flag
        } else {
            Action::Allow
        }
    }

    fn validate(&self, label: Label) -> Result<(), Error> {
        let in_range = |x: f32| (0.0..=1.0).contains(&x);
        let reject_ok = self.reject.is_none_or(|r| in_range(r) && r >= self.hold);
        if !in_range(self.flag) || !in_range(self.hold) || self.hold < self.flag || !reject_ok {
            return Err(Error::Policy(format!(
                "{label}: thresholds must lie in [0, 1] with flag <= hold <= reject"
            )));
        }
        Ok(())
    }
}

/// A community's screening policy: one [`LabelPolicy`] per label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "PolicyPatch")]
pub struct Policy {
    /// Promotion: by default authors of trust 2–3 are flagged, 0–1 held.
    pub promotion: LabelPolicy,
    /// Misinformation: held by default.
    pub misinformation: LabelPolicy,
    /// Personal information: held by default, whatever the trust level.
    pub personal_info: LabelPolicy,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            promotion: LabelPolicy {
                flag_instead_of_hold: vec![TrustLevel(2), TrustLevel(3)],
                ..LabelPolicy::default()
            },
            misinformation: LabelPolicy::default(),
            personal_info: LabelPolicy::default(),
        }
    }
}

/// A policy as written: any field may be left out.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyPatch {
    #[serde(default)]
    promotion: Option<LabelPolicyPatch>,
    #[serde(default)]
    misinformation: Option<LabelPolicyPatch>,
    #[serde(default)]
    personal_info: Option<LabelPolicyPatch>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelPolicyPatch {
    #[serde(default)]
    flag: Option<f32>,
    #[serde(default)]
    hold: Option<f32>,
    /// Missing: keep the default; `null`: never reject.
    #[serde(default, deserialize_with = "present")]
    reject: Option<Option<f32>>,
    #[serde(default)]
    flag_instead_of_hold: Option<Vec<TrustLevel>>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<f32>>, D::Error> {
    Option::<f32>::deserialize(d).map(Some)
}

impl LabelPolicyPatch {
    fn apply(self, to: &mut LabelPolicy) {
        if let Some(flag) = self.flag {
            to.flag = flag;
        }
        if let Some(hold) = self.hold {
            to.hold = hold;
        }
        if let Some(reject) = self.reject {
            to.reject = reject;
        }
        if let Some(levels) = self.flag_instead_of_hold {
            to.flag_instead_of_hold = levels;
        }
    }
}

impl TryFrom<PolicyPatch> for Policy {
    type Error = Error;
    fn try_from(patch: PolicyPatch) -> Result<Policy, Error> {
        let mut policy = Policy::default();
        for (label_patch, target) in [
            (patch.promotion, &mut policy.promotion),
            (patch.misinformation, &mut policy.misinformation),
            (patch.personal_info, &mut policy.personal_info),
        ] {
            if let Some(label_patch) = label_patch {
                label_patch.apply(target);
            }
        }
        policy.validate()?;
        Ok(policy)
    }
}

impl Policy {
    /// Parses and validates a policy from JSON; what it leaves out keeps its default.
    pub fn from_json(json: &str) -> Result<Policy, Error> {
        serde_json::from_str(json).map_err(|e| Error::Policy(e.to_string()))
    }

    /// Checks that every threshold lies in `[0, 1]` and `flag <= hold <= reject`.
    pub fn validate(&self) -> Result<(), Error> {
        for label in Label::ALL {
            self.for_label(label).validate(label)?;
        }
        Ok(())
    }

    /// The thresholds of one label.
    pub fn for_label(&self, label: Label) -> &LabelPolicy {
        match label {
            Label::Promotion => &self.promotion,
            Label::Misinformation => &self.misinformation,
            Label::PersonalInfo => &self.personal_info,
        }
    }

    /// The action one label calls for at `score` for an author of `trust`.
    pub fn action(&self, label: Label, score: f32, trust: TrustLevel) -> Action {
        self.for_label(label).action(score, trust)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trust(level: u8) -> TrustLevel {
        TrustLevel::new(level).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn thresholds_read_as_written_even_as_f64() {
        let mut policy = Policy::default();
        policy.misinformation.reject = Some(0.93);
        let value = serde_json::to_value(&policy).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(value["promotion"]["hold"], serde_json::json!(0.65));
        assert_eq!(value["misinformation"]["reject"], serde_json::json!(0.93));
        assert_eq!(value["personal_info"]["reject"], serde_json::Value::Null);
        let again = Policy::from_json(&value.to_string()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again, policy);
    }

    #[test]
    fn defaults_hold_new_promoters_and_flag_trusted_ones() {
        let policy = Policy::default();
        assert_eq!(
            policy.action(Label::Promotion, 0.95, trust(0)),
            Action::Hold
        );
        assert_eq!(
            policy.action(Label::Promotion, 0.95, trust(1)),
            Action::Hold
        );
        assert_eq!(
            policy.action(Label::Promotion, 0.95, trust(2)),
            Action::Flag
        );
        assert_eq!(
            policy.action(Label::Promotion, 0.95, trust(3)),
            Action::Flag
        );
        for level in 0..=3 {
            assert_eq!(
                policy.action(Label::PersonalInfo, 0.95, trust(level)),
                Action::Hold
            );
            assert_eq!(
                policy.action(Label::Misinformation, 0.95, trust(level)),
                Action::Hold
            );
        }
        assert_eq!(
            policy.action(Label::Misinformation, 0.55, trust(0)),
            Action::Flag
        );
        assert_eq!(
            policy.action(Label::Misinformation, 0.2, trust(0)),
            Action::Allow
        );
    }

    #[test]
    fn rejects_at_the_reject_threshold() {
        let policy = Policy::from_json(r#"{"personal_info": {"reject": 0.9}}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            policy.action(Label::PersonalInfo, 0.95, trust(3)),
            Action::Reject
        );
        assert_eq!(
            policy.action(Label::PersonalInfo, 0.7, trust(3)),
            Action::Hold
        );
    }

    #[test]
    fn round_trips_through_json() {
        let policy = Policy::default();
        let json = serde_json::to_string(&policy).unwrap_or_default();
        assert_eq!(Policy::from_json(&json), Ok(policy));
        assert!(json.contains(r#""flag_instead_of_hold":[2,3]"#), "{json}");
    }

    #[test]
    fn refuses_bad_policies() {
        assert!(Policy::from_json(r#"{"promotion": {"flag": 0.9, "hold": 0.5}}"#).is_err());
        assert!(Policy::from_json(r#"{"promotion": {"hold": 1.5}}"#).is_err());
        assert!(Policy::from_json(r#"{"promotion": {"reject": 0.1}}"#).is_err());
        assert!(Policy::from_json(r#"{"promotion": {"flag_instead_of_hold": [4]}}"#).is_err());
        assert!(Policy::from_json(r#"{"spam": {}}"#).is_err());
    }
}
