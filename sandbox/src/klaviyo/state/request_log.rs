//! The request log: the newest `log_capacity` `/api` requests with their personal data
//! masked (an event's metric name stays readable), and a count of those that fell out.

use super::State;
use crate::klaviyo::query::mask_query;
use crate::{mask, Recorded};

impl State {
    /// Logs a request with its personal data masked; the oldest entry goes when full. An
    /// event's metric name is not a person's, so it stays readable.
    pub(in crate::klaviyo) fn record(&mut self, mut request: Recorded) {
        const METRIC_NAME: &str = "/data/attributes/metric/data/attributes/name";
        request.body = request.body.map(|body| {
            let metric = body.pointer(METRIC_NAME).cloned();
            let mut masked = mask::json(body);
            if let (Some(name), Some(slot)) = (metric, masked.pointer_mut(METRIC_NAME)) {
                *slot = name;
            }
            masked
        });
        request.query = request.query.as_deref().map(mask_query);
        request.seq = self.next_seq;
        self.next_seq += 1;
        if self.requests.len() >= self.log_capacity {
            self.requests.pop_front();
            self.dropped += 1;
        }
        self.requests.push_back(request);
    }

    pub(in crate::klaviyo) fn requests(&self) -> Vec<Recorded> {
        self.requests.iter().cloned().collect()
    }

    pub(in crate::klaviyo) fn dropped_requests(&self) -> u64 {
        self.dropped
    }

    pub(in crate::klaviyo) fn clear_requests(&mut self) {
        self.requests.clear();
    }
}
