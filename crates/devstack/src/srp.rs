//! Cognito's SRP-6a, the server side (USER_SRP_AUTH → PASSWORD_VERIFIER).
//!
//! The variant the Cognito client libraries speak (see docs/user-pool-api.md):
//! the 3072-bit group of RFC 5054 with `g = 2`, SHA-256, integers hashed in
//! their "padHex" form (the shortest big-endian encoding whose top bit is
//! clear), `x = H(salt ‖ H(poolName ‖ userId ‖ ":" ‖ password))`, a 16-byte
//! key from HKDF (salt `u`, input `S`, info "Caldera Derived Key"), and a
//! signature `HMAC(K, poolName ‖ userId ‖ secretBlock ‖ timestamp)`.
//!
//! Passwords only ever pass through here on their way to a verifier: the
//! user store keeps `salt` and `v = g^x mod N`, never the password.

use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use num_bigint::BigUint;
use num_traits::Zero;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// RFC 5054's 3072-bit prime, as every Cognito SRP client has it.
const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1",
    "29024E088A67CC74020BBEA63B139B22514A08798E3404DD",
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245",
    "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D",
    "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D",
    "670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9",
    "DE2BCBF6955817183995497CEA956AE515D2261898FA0510",
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64",
    "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B",
    "F12FFA06D98A0864D87602733EC86A64521F2B18177B200C",
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31",
    "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// The HKDF info string, followed by the counter byte 0x01 inside HKDF.
const INFO: &[u8] = b"Caldera Derived Key";

struct Group {
    n: BigUint,
    g: BigUint,
    k: BigUint,
}

fn group() -> &'static Group {
    static GROUP: OnceLock<Group> = OnceLock::new();
    GROUP.get_or_init(|| {
        let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap_or_default();
        let g = BigUint::from(2u8);
        let mut h = Sha256::new();
        h.update(pad(&n));
        h.update(pad(&g));
        let k = BigUint::from_bytes_be(&h.finalize());
        Group { n, g, k }
    })
}

/// Exponents up to this size use fixed-base tables: `b`, `u` and `x`
/// (SHA-256) and the benchmark's `a` are 256 bits; longer ones take the
/// plain `modpow`.
const TABLE_BITS: usize = 256;

/// `base^(d·2^(w·i)) mod N` for every `w`-bit window `i` and digit `d`. With
/// it, `base^e` for a 256-bit `e` is at most 256/w multiplications instead
/// of 256 squarings and the multiplications between them.
struct PowTable {
    window: usize,
    rows: Vec<Vec<BigUint>>,
}

impl PowTable {
    fn new(base: &BigUint, window: usize) -> Self {
        let n = &group().n;
        let mut power = base % n;
        let rows = (0..TABLE_BITS.div_ceil(window))
            .map(|_| {
                let mut row = vec![BigUint::from(1u8)];
                for d in 1..1usize << window {
                    row.push((&row[d - 1] * &power) % n);
                }
                power = (&row[row.len() - 1] * &power) % n;
                row
            })
            .collect();
        Self { window, rows }
    }

    /// `base^e mod N`; `None` for an exponent longer than the table covers.
    /// Not constant-time, no more than `modpow` is.
    fn pow(&self, e: &BigUint) -> Option<BigUint> {
        if e.bits() > TABLE_BITS as u64 {
            return None;
        }
        let n = &group().n;
        let digits = e.to_radix_le(1 << self.window);
        let mut acc = BigUint::from(1u8);
        for (row, &d) in self.rows.iter().zip(&digits) {
            if d != 0 {
                acc = (acc * &row[usize::from(d)]) % n;
            }
        }
        Some(acc)
    }
}

/// `g^e mod N`, from one table for the process: 6-bit windows, 43 × 64
/// values (about 1 MB, made once in about 30 ms), 4 to 6 times as fast as
/// `modpow`. `g` is the same for every user: it serves every verifier, every
/// `B` and every check of a password.
fn g_pow(e: &BigUint) -> BigUint {
    static TABLE: OnceLock<PowTable> = OnceLock::new();
    let gr = group();
    TABLE
        .get_or_init(|| PowTable::new(&gr.g, 6))
        .pow(e)
        .unwrap_or_else(|| gr.g.modpow(e, &gr.n))
}

/// Verifiers with a table kept, at most (about 400 KB each).
const VERIFIER_TABLES: usize = 16;

/// `v^u mod N` for a user's verifier, the other fixed base of every SRP
/// answer. Its table (4-bit windows: 64 × 16 values, about 400 KB, made
/// with about 1,000 multiplications, three exponentiations' worth) is kept
/// for the last [`VERIFIER_TABLES`] verifiers used, so a user who signs in
/// again pays at most 64 multiplications instead of an exponentiation.
fn v_pow(v: &BigUint, u: &BigUint) -> BigUint {
    type Tables = std::collections::HashMap<Vec<u8>, std::sync::Arc<PowTable>>;
    static TABLES: OnceLock<std::sync::Mutex<Tables>> = OnceLock::new();
    let tables = TABLES.get_or_init(Default::default);
    let key = v.to_bytes_be();
    let known = tables
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&key)
        .cloned();
    // Made outside the lock: other sign-ins need not wait for it.
    let table = known.unwrap_or_else(|| {
        let table = std::sync::Arc::new(PowTable::new(v, 4));
        let mut all = tables.lock().unwrap_or_else(|e| e.into_inner());
        if all.len() >= VERIFIER_TABLES {
            all.clear();
        }
        all.insert(key, table.clone());
        table
    });
    table.pow(u).unwrap_or_else(|| v.modpow(u, &group().n))
}

/// "padHex": the shortest big-endian bytes of `n`, with a leading 0x00 when
/// the top bit would otherwise be set (zero is one 0x00 byte). Not padded to
/// the length of N: that is the Cognito quirk every client shares.
pub fn pad(n: &BigUint) -> Vec<u8> {
    let bytes = n.to_bytes_be();
    if bytes[0] & 0x80 != 0 {
        let mut out = Vec::with_capacity(bytes.len() + 1);
        out.push(0);
        out.extend_from_slice(&bytes);
        out
    } else {
        bytes
    }
}

fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

/// Lowercase hex without leading zeros (how `SALT` and `SRP_B` are sent).
pub fn to_hex(n: &BigUint) -> String {
    n.to_str_radix(16)
}

/// Parses client hex (`SRP_A`): 1–2048 hex digits, nothing else.
pub fn from_hex(s: &str) -> Option<BigUint> {
    if s.is_empty() || s.len() > 2048 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    BigUint::parse_bytes(s.as_bytes(), 16)
}

/// A client's public value is usable when `A mod N != 0`.
pub fn public_value_ok(a: &BigUint) -> bool {
    !(a % &group().n).is_zero()
}

/// The part of the pool id after `_`, which the SRP hashes use.
pub fn pool_name(pool_id: &str) -> &str {
    pool_id.split_once('_').map_or(pool_id, |(_, name)| name)
}

/// A user's salt and verifier: all that is kept of a password.
#[derive(Clone, PartialEq, Eq)]
pub struct Verifier {
    pub salt: BigUint,
    pub v: BigUint,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Verifier(<redacted>)")
    }
}

fn x_of(pool_name: &str, user_id: &str, password: &str, salt: &BigUint) -> BigUint {
    let inner = sha256(&[
        pool_name.as_bytes(),
        user_id.as_bytes(),
        b":",
        password.as_bytes(),
    ]);
    BigUint::from_bytes_be(&sha256(&[&pad(salt), &inner]))
}

impl Verifier {
    /// A fresh 16-byte random salt and its verifier.
    pub fn new(pool_name: &str, user_id: &str, password: &str) -> Self {
        let mut salt = [0u8; 16];
        OsRng.fill_bytes(&mut salt);
        Self::with_salt(pool_name, user_id, password, BigUint::from_bytes_be(&salt))
    }

    pub fn with_salt(pool_name: &str, user_id: &str, password: &str, salt: BigUint) -> Self {
        let x = x_of(pool_name, user_id, password, &salt);
        Verifier { v: g_pow(&x), salt }
    }

    /// Is `password` the one this verifier was made from? (USER_PASSWORD_AUTH
    /// and the hosted UI check passwords this way too.)
    pub fn matches(&self, pool_name: &str, user_id: &str, password: &str) -> bool {
        let x = x_of(pool_name, user_id, password, &self.salt);
        let candidate = pad(&g_pow(&x));
        let stored = pad(&self.v);
        candidate.len() == stored.len()
            && subtle::ConstantTimeEq::ct_eq(candidate.as_slice(), stored.as_slice()).into()
    }
}

/// The server's half of one SRP exchange, kept until PASSWORD_VERIFIER.
#[derive(Clone)]
pub struct ServerSession {
    b: BigUint,
    pub big_b: BigUint,
}

impl std::fmt::Debug for ServerSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerSession(<redacted>)")
    }
}

impl ServerSession {
    /// `B = k·v + g^b mod N` with a random 256-bit `b` (again if B is 0).
    pub fn start(verifier: &Verifier) -> Self {
        loop {
            let mut raw = [0u8; 32];
            OsRng.fill_bytes(&mut raw);
            let s = Self::with_b(verifier, BigUint::from_bytes_be(&raw));
            if !s.big_b.is_zero() {
                return s;
            }
        }
    }

    pub fn with_b(verifier: &Verifier, b: BigUint) -> Self {
        let gr = group();
        let big_b = (&gr.k * &verifier.v + g_pow(&b)) % &gr.n;
        Self { b, big_b }
    }

    /// The 16-byte key both sides derive, or `None` when `A` is unusable
    /// (`A mod N == 0`) or `u == 0`.
    pub fn key(&self, verifier: &Verifier, big_a: &BigUint) -> Option<[u8; 16]> {
        let gr = group();
        if (big_a % &gr.n).is_zero() {
            return None;
        }
        let u = BigUint::from_bytes_be(&sha256(&[&pad(big_a), &pad(&self.big_b)]));
        if u.is_zero() {
            return None;
        }
        let s = (big_a * v_pow(&verifier.v, &u)).modpow(&self.b, &gr.n);
        let hk = Hkdf::<Sha256>::new(Some(&pad(&u)), &pad(&s));
        let mut okm = [0u8; 16];
        hk.expand(INFO, &mut okm).ok()?;
        Some(okm)
    }
}

/// `HMAC_SHA256(K, poolName ‖ userId ‖ secretBlock ‖ timestamp)`.
pub fn signature(
    key: &[u8; 16],
    pool_name: &str,
    user_id: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(pool_name.as_bytes());
    mac.update(user_id.as_bytes());
    mac.update(secret_block);
    mac.update(timestamp.as_bytes());
    mac
}

/// Constant-time check of a client's PASSWORD_CLAIM_SIGNATURE (raw bytes).
pub fn signature_ok(
    key: &[u8; 16],
    pool_name: &str,
    user_id: &str,
    secret_block: &[u8],
    timestamp: &str,
    claimed: &[u8],
) -> bool {
    signature(key, pool_name, user_id, secret_block, timestamp)
        .verify_slice(claimed)
        .is_ok()
}

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses the clients' TIMESTAMP, `Ddd Mmm D HH:MM:SS UTC YYYY` (unpadded
/// day, single spaces), to epoch seconds; `None` when it is not exactly that
/// or the weekday does not fit the date.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let parts: Vec<&str> = s.split(' ').collect();
    let [wd, mon, day, hms, utc, year] = parts.as_slice() else {
        return None;
    };
    let digits = |t: &str, min: usize, max: usize| {
        (min..=max).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
    };
    if *utc != "UTC" || !digits(day, 1, 2) || day.starts_with('0') || !digits(year, 4, 4) {
        return None;
    }
    let wd = DAYS.iter().position(|d| d == wd)? as i64;
    let month = MONTHS.iter().position(|m| m == mon)? as i64 + 1;
    let day: i64 = day.parse().ok()?;
    let year: i64 = year.parse().ok()?;
    let hms: Vec<&str> = hms.split(':').collect();
    let [h, m, sec] = hms.as_slice() else {
        return None;
    };
    if ![h, m, sec].iter().all(|t| digits(t, 2, 2)) {
        return None;
    }
    let (h, m, sec): (i64, i64, i64) = (h.parse().ok()?, m.parse().ok()?, sec.parse().ok()?);
    let month_len = match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1..=month_len).contains(&day) || h > 23 || m > 59 || sec > 59 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    // 1970-01-01 was a Thursday (index 4).
    if (days + 4).rem_euclid(7) != wd {
        return None;
    }
    Some(days * 86_400 + h * 3600 + m * 60 + sec)
}

/// Formats epoch seconds the way the clients do (for tests and tools).
pub fn format_timestamp(epoch: i64) -> String {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    // civil_from_days
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{} {} {} {:02}:{:02}:{:02} UTC {}",
        DAYS[(days + 4).rem_euclid(7) as usize],
        MONTHS[(m - 1) as usize],
        d,
        secs / 3600,
        secs % 3600 / 60,
        secs % 60,
        y
    )
}

/// A client's side of the exchange, as pycognito and amazon-cognito-identity-js
/// compute it. Used by the tests and the benchmark only; the server never
/// needs it.
pub mod client {
    use super::*;

    pub struct Client {
        a: BigUint,
        pub big_a: BigUint,
    }

    impl Client {
        pub fn with_a(a: BigUint) -> Self {
            let big_a = g_pow(&a);
            Self { a, big_a }
        }

        pub fn random() -> Self {
            let mut raw = [0u8; 128];
            OsRng.fill_bytes(&mut raw);
            Self::with_a(BigUint::from_bytes_be(&raw) % &group().n)
        }

        /// PASSWORD_CLAIM_SIGNATURE (base64) for a challenge's secret block.
        pub fn sign(
            key: &[u8; 16],
            pool_name: &str,
            user_id: &str,
            secret_block: &[u8],
            timestamp: &str,
        ) -> String {
            use base64::Engine;
            let mac = signature(key, pool_name, user_id, secret_block, timestamp);
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
        }

        /// `K` from the challenge's `SALT` and `SRP_B` (hex) and the password.
        pub fn key(
            &self,
            pool_name: &str,
            user_id: &str,
            password: &str,
            salt_hex: &str,
            b_hex: &str,
        ) -> Option<[u8; 16]> {
            let gr = group();
            let salt = from_hex(salt_hex)?;
            let big_b = from_hex(b_hex)?;
            let u = BigUint::from_bytes_be(&sha256(&[&pad(&self.big_a), &pad(&big_b)]));
            if u.is_zero() || (&big_b % &gr.n).is_zero() {
                return None;
            }
            let x = x_of(pool_name, user_id, password, &salt);
            let kgx = (&gr.k * g_pow(&x)) % &gr.n;
            // (B − k·g^x) mod N, kept non-negative.
            let base = ((&big_b % &gr.n) + &gr.n - kgx) % &gr.n;
            let s = base.modpow(&(&self.a + &u * &x), &gr.n);
            let hk = Hkdf::<Sha256>::new(Some(&pad(&u)), &pad(&s));
            let mut okm = [0u8; 16];
            hk.expand(INFO, &mut okm).ok()?;
            Some(okm)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;

    fn hex(s: &str) -> BigUint {
        BigUint::parse_bytes(s.as_bytes(), 16).unwrap()
    }

    fn hex_of(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn k_is_cognitos() {
        assert_eq!(
            hex_of(&group().k.to_bytes_be()),
            "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
        );
        assert_eq!(group().n.bits(), 3072);
    }

    #[test]
    fn pad_hex_quirk() {
        assert_eq!(pad(&BigUint::from(0u8)), vec![0]);
        assert_eq!(pad(&BigUint::from(0x7fu8)), vec![0x7f]);
        assert_eq!(pad(&BigUint::from(0x80u8)), vec![0, 0x80]);
        assert_eq!(pad(&BigUint::from(0x0180u16)), vec![1, 0x80]);
    }

    #[test]
    fn the_fixed_base_tables_agree_with_modpow() {
        let gr = group();
        let mut exponents = vec![
            BigUint::from(0u8),
            BigUint::from(1u8),
            BigUint::from(63u8),
            BigUint::from(64u8),
            (BigUint::from(1u8) << 256u32) - 1u8, // the largest the table serves
            BigUint::from(1u8) << 256u32,         // the smallest it does not
        ];
        for len in [1, 8, 31, 32, 128] {
            let mut raw = vec![0u8; len];
            OsRng.fill_bytes(&mut raw);
            exponents.push(BigUint::from_bytes_be(&raw));
        }
        let v = g_pow(&exponents[9]);
        for e in &exponents {
            assert_eq!(g_pow(e), gr.g.modpow(e, &gr.n), "g^{e:x}");
            // Twice: the verifier's table is made, then reused.
            assert_eq!(v_pow(&v, e), v.modpow(e, &gr.n), "v^{e:x}");
            assert_eq!(v_pow(&v, e), v.modpow(e, &gr.n), "v^{e:x} again");
        }
    }

    /// The reference vector (computed with pycognito's helpers): every
    /// intermediate and the final signature.
    #[test]
    fn fixed_vector() {
        let pool = pool_name("us-east-1_AbCdEf123");
        assert_eq!(pool, "AbCdEf123");
        let salt = hex("f1e2d3c4b5a697887766554433221100");
        assert_eq!(hex_of(&pad(&salt)), "00f1e2d3c4b5a697887766554433221100");
        let inner = sha256(&[b"AbCdEf123alice:Passw0rd!"]);
        assert_eq!(
            hex_of(&inner),
            "1841e557afbac12fa01869c48fd832a47691bb73657c9cf9517315c3c4e8f801"
        );
        let x = x_of(pool, "alice", "Passw0rd!", &salt);
        assert_eq!(
            to_hex(&x),
            "b295c55fd4735048667d249a3dd11b64868158b5cfc0c7b972bcfcefc3949106"
        );
        let verifier = Verifier::with_salt(pool, "alice", "Passw0rd!", salt.clone());
        assert!(to_hex(&verifier.v).starts_with("2b65452fbac9abe5"));

        let a = hex("2eb059dd1e13da5aac3334ebc7b31e06077b5dd24e54861e6f8fbb5681104520");
        let b = hex("7c74e0e678b0a3ac2e3566ac45a4d5bc4d1c42d1849825d64a7851262ee7bb8b");
        let client = client::Client::with_a(a);
        let a_hex = to_hex(&client.big_a);
        assert_eq!(a_hex.len(), 768);
        assert!(a_hex.starts_with("139523baed5118df"));
        assert_eq!(
            hex_of(&sha256(&[&pad(&client.big_a)])),
            "079e6cff2bd22b4c37ae340a137b26e7128bc9080667eb999315d7a294b1601d"
        );
        let server = ServerSession::with_b(&verifier, b);
        assert!(to_hex(&server.big_b).starts_with("2c9c668eab622e22"));
        assert_eq!(
            hex_of(&sha256(&[&pad(&server.big_b)])),
            "a09d06fcb7de609f4afc451d1282d8ff3ccf86471bb7959b68bbd90d244dd262"
        );
        let key = server.key(&verifier, &client.big_a).unwrap();
        assert_eq!(hex_of(&key), "1337d4e9ffec08e78db5de5d2be58522");
        let client_key = client
            .key(
                pool,
                "alice",
                "Passw0rd!",
                &to_hex(&salt),
                &to_hex(&server.big_b),
            )
            .unwrap();
        assert_eq!(client_key, key);

        let block = STANDARD
            .decode("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
            .unwrap();
        let ts = "Tue Dec 1 21:17:55 UTC 2026";
        let sig = signature(&key, pool, "alice", &block, ts)
            .finalize()
            .into_bytes();
        assert_eq!(
            STANDARD.encode(sig),
            "eyZrCRZo+Ea25VqeXokDl24syGl4U141pXVzgBnDF3c="
        );
        assert!(signature_ok(&key, pool, "alice", &block, ts, &sig));
        // Any change to the signed input fails.
        assert!(!signature_ok(
            &key,
            pool,
            "alice",
            &block,
            "Tue Dec 1 21:17:56 UTC 2026",
            &sig
        ));
        assert!(!signature_ok(&key, pool, "bob", &block, ts, &sig));
    }

    #[test]
    fn wrong_password_gives_another_key() {
        let pool = "DevStack1";
        let verifier = Verifier::new(pool, "demo", "Passw0rd!");
        assert!(verifier.matches(pool, "demo", "Passw0rd!"));
        assert!(!verifier.matches(pool, "demo", "Passw0rd?"));
        assert!(!verifier.matches(pool, "other", "Passw0rd!"));
        let server = ServerSession::start(&verifier);
        let client = client::Client::random();
        let salt = to_hex(&verifier.salt);
        let b = to_hex(&server.big_b);
        let good = client.key(pool, "demo", "Passw0rd!", &salt, &b).unwrap();
        let bad = client.key(pool, "demo", "wrong", &salt, &b).unwrap();
        let server_key = server.key(&verifier, &client.big_a).unwrap();
        assert_eq!(good, server_key);
        assert_ne!(bad, server_key);
    }

    #[test]
    fn unusable_a_is_refused() {
        let verifier = Verifier::new("P", "u", "pw");
        let server = ServerSession::start(&verifier);
        assert!(server.key(&verifier, &BigUint::zero()).is_none());
        assert!(server.key(&verifier, &group().n).is_none());
        assert!(server.key(&verifier, &(&group().n * 2u8)).is_none());
    }

    #[test]
    fn timestamps() {
        let ts = "Tue Dec 1 21:17:55 UTC 2026";
        let t = parse_timestamp(ts).unwrap();
        assert_eq!(format_timestamp(t), ts);
        assert_eq!(t, 1_796_159_875);
        for bad in [
            "Tue Dec  1 21:17:55 UTC 2026",
            "Tue Dec 01 21:17:55 UTC 2026",
            "Wed Dec 1 21:17:55 UTC 2026",
            "Tue Dec 1 24:17:55 UTC 2026",
            "Tue Dec 1 21:17:55 GMT 2026",
            "Tue Dec 32 21:17:55 UTC 2026",
            "",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
        assert_eq!(format_timestamp(0), "Thu Jan 1 00:00:00 UTC 1970");
        assert!(parse_timestamp("Thu Feb 29 12:00:00 UTC 2024").is_some());
        assert!(parse_timestamp("Sat Feb 29 12:00:00 UTC 2025").is_none());
    }

    #[test]
    fn hex_parsing_is_strict() {
        assert!(from_hex("").is_none());
        assert!(from_hex("xyz").is_none());
        assert!(from_hex("+1").is_none());
        assert!(from_hex(&"f".repeat(2049)).is_none());
        assert_eq!(from_hex("ff"), Some(BigUint::from(255u8)));
    }
}
