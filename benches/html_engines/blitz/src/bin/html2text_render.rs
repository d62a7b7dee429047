//! Times html2text 0.17.4's `from_read_rich(html, 100)` on every corpus message.
//! usage: html2text_render CORPUS_DIR [NNN,NNN...]

use html_engines_blitz::{corpus, summary};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: html2text_render CORPUS_DIR [NNN,...]");
    let only = args.next();
    let mut totals = Vec::new();
    let mut failed = 0;
    println!("number\thtml_bytes\tms\tlines\tstatus");
    for (number, path) in corpus(dir.as_ref(), only.as_deref()) {
        let html = std::fs::read(&path).expect("reading a corpus file");
        let start = Instant::now();
        let result = std::panic::catch_unwind(|| html2text::from_read_rich(&html[..], 100));
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        let (lines, status) = match result {
            Ok(Ok(lines)) => (lines.len(), "ok".to_owned()),
            Ok(Err(e)) => {
                failed += 1;
                (0, format!("error: {e}"))
            }
            Err(_) => {
                failed += 1;
                (0, "panic".to_owned())
            }
        };
        println!("{number}\t{}\t{ms:.3}\t{lines}\t{status}", html.len());
        totals.push(ms);
    }
    eprintln!("{}", summary("html2text from_read_rich(100)", &mut totals));
    eprintln!("failed or panicked: {failed}");
}
