//! Whose request is this? The TCP peer, unless the operator says which proxies in front of
//! Tracklight may be believed: `X-Forwarded-For` is written by the client first and by each
//! proxy after, so only the hops the operator's own proxies appended (counted from the right)
//! can be trusted. The address feeds rate limits and the proof of consent.

use ipnet::IpNet;
use std::net::IpAddr;

/// Which proxies' `X-Forwarded-For` hops are believed (`TRACKLIGHT_TRUSTED_PROXIES`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TrustedProxies {
    /// No proxy: the header is ignored, the peer is the client.
    #[default]
    None,
    /// This many proxies in front (e.g. 1 for one nginx): the client is the hop the
    /// outermost one appended, counted from the right.
    Count(usize),
    /// The proxies' networks: when the peer is one of them, hops are read from the right
    /// until one is not.
    Networks(Vec<IpNet>),
}

impl TrustedProxies {
    /// `0` (none), a count such as `1`, or a comma-separated list of networks or addresses
    /// such as `10.0.0.0/8, 192.168.1.7`.
    pub fn parse(input: &str) -> Result<Self, String> {
        let input = input.trim();
        if let Ok(n) = input.parse::<usize>() {
            return match n {
                0 => Ok(Self::None),
                1..=10 => Ok(Self::Count(n)),
                _ => Err(format!(
                    "must be 0 to 10 proxies, or networks (got {input:?})"
                )),
            };
        }
        input
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpNet>()
                    .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        format!(
                            "must be a number of proxies or networks such as 10.0.0.0/8 (got {s:?})"
                        )
                    })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self::Networks)
    }

    /// The client's address, from the TCP `peer` and the `X-Forwarded-For` header.
    pub fn client(&self, peer: Option<IpAddr>, forwarded_for: Option<&str>) -> Option<IpAddr> {
        let hops = || -> Vec<Option<IpAddr>> {
            forwarded_for
                .unwrap_or_default()
                .split(',')
                .map(|h| h.trim().parse::<IpAddr>().ok())
                .collect()
        };
        match self {
            Self::None => peer,
            Self::Count(n) => {
                let hops = hops();
                // Fewer hops than proxies: the request did not come through them all.
                hops.len().checked_sub(*n).and_then(|i| hops[i]).or(peer)
            }
            Self::Networks(nets) => {
                let trusted = |ip: &IpAddr| nets.iter().any(|n| n.contains(ip));
                if !peer.as_ref().is_some_and(trusted) {
                    return peer;
                }
                let mut client = peer;
                for hop in hops().into_iter().rev() {
                    match hop {
                        Some(ip) if trusted(&ip) => client = Some(ip),
                        Some(ip) => return Some(ip),
                        // Junk: nothing left of it can be believed.
                        None => break,
                    }
                }
                client
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn settings_parse() {
        assert_eq!(TrustedProxies::parse("0"), Ok(TrustedProxies::None));
        assert_eq!(TrustedProxies::parse("2"), Ok(TrustedProxies::Count(2)));
        assert_eq!(
            TrustedProxies::parse("10.0.0.0/8, 192.168.1.7").unwrap(),
            TrustedProxies::Networks(vec![
                "10.0.0.0/8".parse().unwrap(),
                "192.168.1.7/32".parse().unwrap()
            ])
        );
        for bad in ["11", "yes", "10.0.0.0/33", "10.0.0.0/8, nope"] {
            assert!(TrustedProxies::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn only_the_operators_proxies_are_believed() {
        let peer = ip("10.0.0.5");
        // Without trusted proxies a forged header changes nothing.
        assert_eq!(TrustedProxies::None.client(peer, Some("1.2.3.4")), peer);
        // One proxy: it appended the real client on the right; what the client wrote on
        // the left is ignored.
        let one = TrustedProxies::Count(1);
        assert_eq!(
            one.client(peer, Some("6.6.6.6, 203.0.113.9")),
            ip("203.0.113.9")
        );
        assert_eq!(one.client(peer, None), peer, "no header: the peer");
        let two = TrustedProxies::Count(2);
        assert_eq!(
            two.client(peer, Some("6.6.6.6, 203.0.113.9, 10.0.0.9")),
            ip("203.0.113.9")
        );
        assert_eq!(two.client(peer, Some("203.0.113.9")), peer, "too few hops");
        // Networks: read from the right past the proxies.
        let nets = TrustedProxies::parse("10.0.0.0/8").unwrap();
        assert_eq!(
            nets.client(peer, Some("6.6.6.6, 203.0.113.9, 10.1.1.1")),
            ip("203.0.113.9")
        );
        assert_eq!(
            nets.client(ip("198.51.100.1"), Some("6.6.6.6")),
            ip("198.51.100.1"),
            "a peer that is not a proxy of ours is the client"
        );
        assert_eq!(nets.client(peer, Some("junk, 10.1.1.1")), ip("10.1.1.1"));
        assert_eq!(
            TrustedProxies::parse("2001:db8::/32")
                .unwrap()
                .client(ip("2001:db8::1"), Some("2001:db9::7")),
            ip("2001:db9::7")
        );
    }
}
