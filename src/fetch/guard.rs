//! The address guard: no request goes to loopback, private, link-local, multicast, unspecified
//! or otherwise non-global addresses unless the config allows it.
//!
//! The check is on resolved IP addresses (a DNS resolver that drops forbidden answers), so a
//! public-looking name that resolves to 127.0.0.1 (DNS rebinding) is refused too; IP literals in
//! URLs, which skip DNS, are checked by [`check_url`] before every hop, redirects included.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use url::{Host, Url};

/// True when the address is one rill may connect to with the guard on.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let seg0 = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (seg0 & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (seg0 & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (seg0 & 0xffc0) == 0xfec0 // site-local (deprecated) fec0::/10
                || (seg0 == 0x64 && v6.segments()[1] == 0xff9b) // NAT64 64:ff9b::/96 may map to private v4
                || seg0 == 0x2001 && v6.segments()[1] == 0x0db8) // documentation
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local() // 169.254.0.0/16, cloud metadata
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || o[0] == 0 // "this network"
        || (o[0] == 100 && (o[1] & 0xc0) == 64) // carrier-grade NAT 100.64.0.0/10
        || (o[0] == 192 && o[1] == 0 && o[2] == 0) // IETF protocol assignments
        || (o[0] == 198 && (o[1] & 0xfe) == 18) // benchmarking 198.18.0.0/15
        || o[0] >= 240) // reserved
}

/// Why a URL may not be fetched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuardError {
    #[error("{0} is not an http(s) URL")]
    Scheme(String),
    #[error("{0} has no host")]
    NoHost(String),
    #[error(
        "{url} points to the non-public address {ip}; set fetch.allow_private_addresses = true to allow it"
    )]
    Private { url: String, ip: IpAddr },
}

/// Checks a URL's scheme and, when its host is an IP literal, the address.
pub fn check_url(url: &Url, allow_private: bool) -> Result<(), GuardError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(GuardError::Scheme(url.to_string()));
    }
    let ip = match url.host() {
        None => return Err(GuardError::NoHost(url.to_string())),
        Some(Host::Domain(d)) => {
            // A few names are loopback by definition and never reach DNS in some resolvers.
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            if !allow_private && (d == "localhost" || d.ends_with(".localhost")) {
                return Err(GuardError::Private {
                    url: url.to_string(),
                    ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
                });
            }
            return Ok(());
        }
        Some(Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(Host::Ipv6(v6)) => IpAddr::V6(v6),
    };
    if allow_private || is_public(ip) {
        Ok(())
    } else {
        Err(GuardError::Private { url: url.to_string(), ip })
    }
}

/// A resolver that drops non-public answers (so a name resolving only to them fails).
#[derive(Debug, Clone, Default)]
pub struct GuardedResolver;

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = addrs.iter().copied().filter(|a| is_public(a.ip())).collect();
            if allowed.is_empty() {
                let ip = addrs.first().map(|a| a.ip()).unwrap_or(IpAddr::V6(Ipv6Addr::UNSPECIFIED));
                let msg =
                    format!("{host} resolves to the non-public address {ip}; refused by the address guard");
                return Err(msg.into());
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocked(u: &str) -> bool {
        check_url(&Url::parse(u).unwrap(), false).is_err()
    }

    #[test]
    fn refuses_loopback_private_metadata_and_other_schemes() {
        for u in [
            "http://127.0.0.1/feed",
            "http://[::1]/",
            "http://169.254.169.254/latest/meta-data/",
            "http://10.1.2.3/",
            "http://192.168.0.1/",
            "http://172.16.5.4/",
            "http://0.0.0.0/",
            "http://[::ffff:127.0.0.1]/",
            "http://[fd00::1]/",
            "http://localhost:8080/",
            "http://100.64.1.1/",
            "file:///etc/passwd",
            "javascript:alert(1)",
        ] {
            assert!(blocked(u), "{u} should be refused");
        }
    }

    #[test]
    fn allows_public_and_names() {
        for u in ["https://93.184.216.34/", "https://example.org/feed", "http://[2606:4700::1111]/"] {
            assert!(!blocked(u), "{u} should be allowed");
        }
    }

    #[test]
    fn allow_private_switches_the_guard_off() {
        assert!(check_url(&Url::parse("http://127.0.0.1/").unwrap(), true).is_ok());
        assert!(check_url(&Url::parse("file:///x").unwrap(), true).is_err());
    }
}
