//! Parallel, yet ordered: a reader thread streams records in batches through a bounded
//! channel; each batch is processed with rayon and handed back in input order, so the
//! output is byte-identical for any thread count and memory is bounded by a few batches.
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::sync_channel;

use crate::error::{Error, Result};
use crate::input::{InputFile, InputOptions, read_file};
use crate::record::Record;

/// Records per batch, and the byte budget of one batch.
const BATCH_RECORDS: usize = 512;
const BATCH_BYTES: usize = 16 << 20;
/// Batches read ahead of the one being processed.
const BATCHES_IN_FLIGHT: usize = 2;

/// Set by the SIGINT handler: stop reading, leave no partial output.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Counts of a finished run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunStats {
    pub records: u64,
    pub failures: u64,
    pub bytes: u64,
}

/// Work on a whole batch before its records are processed: a corpus pass counts here, in
/// input order, what each record of the batch (and of later batches) then reads. Batches are
/// cut by record count and bytes alone, so the result is the same for any thread count.
pub trait Survey: Sync + Send {
    /// Called once per batch with its readable records, in input order, inside the thread
    /// pool (so it may use rayon).
    fn survey(&mut self, records: &[&Record]);
}

/// No corpus pass.
impl Survey for () {
    fn survey(&mut self, _: &[&Record]) {}
}

/// A corpus pass that may be switched off.
impl<S: Survey> Survey for Option<S> {
    fn survey(&mut self, records: &[&Record]) {
        if let Some(inner) = self {
            inner.survey(records);
        }
    }
}

/// Reads `files`, lets `corpus` survey each batch, applies `process` to every record in
/// parallel, and hands the results to `emit` in input order. Read errors go to `report` in
/// the same order. Stops at the first error `emit` returns, or when interrupted.
pub fn run<T, C, P, E, R>(
    files: &[InputFile],
    options: &InputOptions,
    threads: usize,
    corpus: &mut C,
    process: P,
    emit: E,
    report: R,
) -> Result<RunStats>
where
    T: Send,
    C: Survey,
    P: Fn(Record, &C) -> T + Sync + Send,
    E: FnMut(T) -> Result<()>,
    R: FnMut(&Error),
{
    run_settled(files, options, threads, corpus, process, |_: &mut [&mut T]| Ok(()), emit, report)
}

/// [`run`], with `settle` called on each batch's results, in input order, before they are
/// emitted: an in-order corpus pass that works a batch at a time (the rewrite index) goes
/// there. An error from `settle` stops the run before the batch is emitted.
#[allow(clippy::too_many_arguments)]
pub fn run_settled<T, C, P, S, E, R>(
    files: &[InputFile],
    options: &InputOptions,
    threads: usize,
    corpus: &mut C,
    process: P,
    mut settle: S,
    mut emit: E,
    mut report: R,
) -> Result<RunStats>
where
    T: Send,
    C: Survey,
    P: Fn(Record, &C) -> T + Sync + Send,
    S: FnMut(&mut [&mut T]) -> Result<()>,
    E: FnMut(T) -> Result<()>,
    R: FnMut(&Error),
{
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {threads} threads: {e}")))?;
    let (sender, receiver) = sync_channel::<Vec<std::result::Result<Record, Error>>>(BATCHES_IN_FLIGHT);
    let files = files.to_vec();
    let options = options.clone();
    let reader = std::thread::spawn(move || {
        let mut batch = Vec::with_capacity(BATCH_RECORDS);
        let mut batch_bytes = 0usize;
        for file in &files {
            let mut keep_going = true;
            read_file(file, &options, &mut |item| {
                if INTERRUPTED.load(Ordering::Relaxed) {
                    keep_going = false;
                    return false;
                }
                batch_bytes += item.as_ref().map_or(0, |r| r.text.len());
                batch.push(item);
                if batch.len() >= BATCH_RECORDS || batch_bytes >= BATCH_BYTES {
                    batch_bytes = 0;
                    if sender.send(std::mem::take(&mut batch)).is_err() {
                        keep_going = false;
                        return false;
                    }
                }
                true
            });
            if !keep_going {
                return;
            }
        }
        if !batch.is_empty() {
            let _ = sender.send(batch);
        }
    });

    let mut stats = RunStats::default();
    let mut outcome = Ok(());
    // Scoring runs on its own thread, so that the next batch is scored while this one is
    // emitted (written, and passed through the in-order corpus passes).
    let (done_sender, done_receiver) = sync_channel::<Vec<std::result::Result<T, Error>>>(1);
    std::thread::scope(|scope| {
        let process = &process;
        let pool = &pool;
        scope.spawn(move || {
            for batch in receiver.iter() {
                if INTERRUPTED.load(Ordering::Relaxed) {
                    break;
                }
                let processed: Vec<std::result::Result<T, Error>> = pool.install(|| {
                    let readable: Vec<&Record> = batch.iter().filter_map(|item| item.as_ref().ok()).collect();
                    corpus.survey(&readable);
                    let corpus = &*corpus;
                    longest_first(batch, |item| item.map(|record| process(record, corpus)))
                });
                if done_sender.send(processed).is_err() {
                    break;
                }
            }
        });
        for mut processed in done_receiver.iter() {
            if INTERRUPTED.load(Ordering::Relaxed) {
                outcome = Err(Error::Interrupted);
                break;
            }
            if let Err(e) = settle(&mut processed.iter_mut().filter_map(|item| item.as_mut().ok()).collect::<Vec<_>>())
            {
                outcome = Err(e);
                break;
            }
            for item in processed {
                match item {
                    Ok(value) => {
                        stats.records += 1;
                        if let Err(e) = emit(value) {
                            outcome = Err(e);
                            break;
                        }
                    }
                    Err(error) => {
                        stats.failures += 1;
                        report(&error);
                    }
                }
            }
            if outcome.is_err() {
                break;
            }
        }
        // Unblocks the scoring thread (its next send fails), which drops the reader's channel.
        drop(done_receiver);
    });
    let _ = reader.join();
    if outcome.is_ok() && INTERRUPTED.load(Ordering::Relaxed) {
        outcome = Err(Error::Interrupted);
    }
    outcome.map(|()| stats)
}

/// `process` applied to every item of a batch by all the pool's threads, the longest records
/// first, each thread taking the next item whenever it finishes one; results in input order.
/// A batch then ends on short records, so no thread waits long behind another's last one:
/// split into contiguous halves, a long record near the end of a batch left the other
/// thread idle, 6 % of a two-thread run's wall time.
fn longest_first<T: Send>(
    batch: Vec<std::result::Result<Record, Error>>,
    process: impl Fn(std::result::Result<Record, Error>) -> T + Sync,
) -> Vec<T> {
    let mut order: Vec<usize> = (0..batch.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(batch[i].as_ref().map_or(0, |record| record.text.len())));
    let items: Vec<Mutex<Option<std::result::Result<Record, Error>>>> =
        batch.into_iter().map(|item| Mutex::new(Some(item))).collect();
    let results: Vec<Mutex<Option<T>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    rayon::broadcast(|_| {
        while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
            let item = lock(&items[i]).take().expect("each item is taken once");
            let result = process(item);
            *lock(&results[i]) = Some(result);
        }
    });
    results.into_iter().map(|slot| into_inner(slot).expect("every item was processed")).collect()
}

/// A mutex's guard, whether or not a thread panicked holding it (the panic is re-raised by
/// rayon; the data is a plain slot).
fn lock<V>(mutex: &Mutex<V>) -> std::sync::MutexGuard<'_, V> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn into_inner<V>(mutex: Mutex<V>) -> V {
    mutex.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_first_processes_every_item_once_and_returns_them_in_input_order() {
        let lengths = [3usize, 700, 0, 41, 700, 5, 12000, 9];
        let mut batch: Vec<std::result::Result<Record, Error>> = lengths
            .iter()
            .enumerate()
            .map(|(i, &n)| Ok(Record { id: format!("r{i}"), text: "x".repeat(n), ..Record::default() }))
            .collect();
        batch.insert(2, Err(Error::Record { path: "shard.jsonl".into(), line: 3, message: "bad".into() }));
        let calls = AtomicUsize::new(0);
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        let out = pool.install(|| {
            longest_first(batch, |item| {
                calls.fetch_add(1, Ordering::Relaxed);
                item.map(|record| (record.id, record.text.len()))
            })
        });
        assert_eq!(calls.load(Ordering::Relaxed), 9);
        let ids: Vec<String> =
            out.iter().map(|r| r.as_ref().map_or_else(|e| e.to_string(), |(id, _)| id.clone())).collect();
        assert_eq!(ids, ["r0", "r1", "shard.jsonl:3: bad", "r2", "r3", "r4", "r5", "r6", "r7"]);
        assert_eq!(out[7].as_ref().unwrap().1, 12000);
    }
}
