//! Fuzzes everything that parses server bytes: status lines, listings,
//! streamed bodies (dot-unstuffing), and certificate DER.
#![no_main]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use libfuzzer_sys::fuzz_target;
use satchel::pop3::certinfo::CertificateInfo;
use satchel::pop3::reply::{Reply, parse_number_and_size, parse_uidl_line};
use satchel::pop3::unstuff::{Decoded, DotDecoder};
use satchel::pop3::wire::Wire;

/// Polls a future whose I/O is an in-memory slice: it never waits.
fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..1_000 {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
    panic!("in-memory read returned Pending");
}

/// Decodes `input` in two pieces split at `split`; returns output and end.
fn decode_split(input: &[u8], split: usize) -> (Vec<u8>, Option<usize>) {
    let mut decoder = DotDecoder::new();
    let mut out = Vec::new();
    let (a, b) = input.split_at(split.min(input.len()));
    let mut offset = 0;
    for piece in [a, b] {
        let step = decoder.decode::<()>(piece, |run| {
            out.extend_from_slice(run);
            Ok(())
        });
        if let Ok(Decoded::Done(n)) = step {
            return (out, Some(offset + n));
        }
        offset += piece.len();
    }
    (out, None)
}

fuzz_target!(|data: &[u8]| {
    // Split-point independence of the body decoder.
    if let Some((&split, body)) = data.split_first() {
        let whole = decode_split(body, body.len());
        let split = decode_split(body, usize::from(split));
        assert_eq!(whole, split);
        if let (out, Some(end)) = &whole {
            assert!(out.len() <= *end);
        }
    }

    // Whole-stream reader: alternate status lines, listings and bodies until the input ends.
    let stream = tokio::io::join(data, tokio::io::sink());
    let mut wire = Wire::new(stream, None);
    run(async {
        for round in 0..64 {
            let ok = match round % 3 {
                0 => wire.read_reply().await.is_ok(),
                1 => loop {
                    match wire.read_listing_line().await {
                        Ok(Some(line)) => {
                            let _ = parse_number_and_size(line, "LIST");
                            let _ = parse_uidl_line(line);
                        }
                        Ok(None) => break true,
                        Err(_) => break false,
                    }
                },
                _ => wire.read_body(|_| Ok(())).await.is_ok(),
            };
            if !ok && !wire.has_buffered() {
                break;
            }
        }
    });

    let _ = Reply::parse(data);
    let info = CertificateInfo::from_der(data);
    assert_eq!(info.fingerprint.to_string().len(), 95);
});
