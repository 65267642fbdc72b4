//! Events (`POST /api/events`): the profile an event names, found or created and updated
//! with the event's profile attributes; an event that repeats a stored one (same profile
//! and metric, and the same `unique_id` or without one the same second) is accepted but not
//! stored.

use super::account::{Account, ProfileError};
use super::ids::{new_id, random_text};
use crate::klaviyo::clock::iso;
use serde_json::{json, Map, Value};

/// An event, validated.
pub(in crate::klaviyo) struct EventInput {
    pub metric: String,
    pub properties: Map<String, Value>,
    pub time_ms: Option<i64>,
    pub unique_id: Option<String>,
    pub value: Option<Value>,
    pub value_currency: Option<String>,
    pub profile_id: Option<String>,
    pub profile: Map<String, Value>,
}
impl Account {
    /// The profile an event names (by `id`, else `external_id`, `email`, `phone_number`),
    /// created when none matches, updated with the event's profile attributes (identifiers
    /// another profile holds are not taken over).
    fn event_profile(
        &mut self,
        id: Option<&str>,
        attributes: &Map<String, Value>,
        now: i64,
    ) -> Result<usize, ProfileError> {
        let found = match id {
            Some(id) => Some(
                self.index_of("id", id)
                    .ok_or_else(|| ProfileError::UnknownId(id.to_owned()))?,
            ),
            None => ["external_id", "email", "phone_number"]
                .iter()
                .find_map(|f| {
                    let v = attributes.get(*f).and_then(Value::as_str)?;
                    self.index_of(f, v)
                }),
        };
        let index = found.unwrap_or_else(|| self.create_profile(now));
        let mut update = attributes.clone();
        update.retain(|k, v| {
            let taken = v.as_str().is_some_and(|v| {
                ["external_id", "email", "phone_number"].contains(&k.as_str())
                    && self.index_of(k, v).is_some_and(|i| i != index)
            });
            !taken
        });
        self.profiles[index].apply(&update, now);
        Ok(index)
    }

    /// Stores an event unless it repeats one already stored (same profile and metric, and
    /// the same `unique_id`, or without one the same second). Returns whether it was stored.
    pub(in crate::klaviyo) fn create_event(
        &mut self,
        event: EventInput,
        now: i64,
    ) -> Result<bool, ProfileError> {
        let index = self.event_profile(event.profile_id.as_deref(), &event.profile, now)?;
        let profile_id = self.profiles[index].id.clone();
        let at = event.time_ms.unwrap_or(now).div_euclid(1000) * 1000;
        let key = match &event.unique_id {
            Some(id) => format!("unique_id:{id}"),
            None => format!("time:{}", at / 1000),
        };
        let metric_id = self
            .metrics
            .entry(event.metric.clone())
            .or_insert_with(|| random_text(6))
            .clone();
        if !self
            .event_keys
            .insert((profile_id.clone(), event.metric.clone(), key))
        {
            return Ok(false);
        }
        let profile = &mut self.profiles[index];
        profile.last_event_ms = Some(profile.last_event_ms.map_or(at, |t| t.max(at)));
        self.events.push(json!({
            "type": "event",
            "id": new_id(now),
            "metric": event.metric,
            "metric_id": metric_id,
            "profile_id": profile_id,
            "unique_id": event.unique_id,
            "datetime": iso(at),
            "timestamp": at / 1000,
            "properties": event.properties,
            "value": event.value,
            "value_currency": event.value_currency,
            "received_at_ms": now,
        }));
        Ok(true)
    }
}
