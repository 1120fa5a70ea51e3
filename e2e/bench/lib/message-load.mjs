import { setTimeout as sleep } from 'node:timers/promises';
import { messageText, missing, nowMs, seqMismatches } from './delivery-ledger.mjs';

/** A step passes when the server kept up: this share of the target rate at least ... */
export const MIN_ACHIEVED_RATIO = 0.9;
/** ... and the 99th percentile of send → receive latency at most this. */
export const MAX_P99_MS = 1000;

const ERROR_SAMPLES = 5;

/**
 * One open-loop step: sends `rate` messages per second for `durationS` seconds (or `count` messages),
 * message n to conversation `conversationOf(n)`, on a fixed schedule whatever the responses do (so
 * a slow server cannot slow the load down and hide its latency). At most `maxInFlight` sends are
 * outstanding: a send due while that many are open is skipped, which lowers the achieved rate.
 * Latency runs from the scheduled send time, carried in the text, to the subscriber's receipt.
 */
export async function runStep({ target, ledger, label, rate, durationS, count, maxInFlight, drainMs, cpu }) {
  const total = count ?? Math.round(rate * durationS);
  const conversationOf = target.conversationOf ?? ((n) => n % target.conversations);
  const step = ledger.openStep(label);
  const inFlight = new Set();
  const tally = { skipped: 0, errors: 0, errorSamples: [], ackMs: [], lastAck: 0 };
  const start = performance.now();

  const fire = (n) => {
    if (inFlight.size >= maxInFlight) {
      tally.skipped += 1;
      return;
    }
    const sentAt = performance.timeOrigin + start + (n * 1000) / rate;
    const record = ledger.track(step, `${step.id}.${n}`, conversationOf(n), sentAt);
    const sending = target
      .send(record.conversation, messageText(`${step.id}.${n}`, sentAt))
      .then(({ seq }) => {
        const at = nowMs();
        ledger.acked(record, seq, at);
        tally.ackMs.push(at - sentAt);
        tally.lastAck = Math.max(tally.lastAck, performance.now());
      })
      .catch((e) => {
        tally.errors += 1;
        if (tally.errorSamples.length < ERROR_SAMPLES) tally.errorSamples.push(e instanceof Error ? e.message : `${e}`);
      })
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  };

  cpu?.start();
  let issued = 0;
  while (issued < total) {
    // Every message whose scheduled time has come; the timer only sets how often we look.
    const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    while (issued < due) fire(issued++);
    if (issued < total) await sleep(1);
  }
  await Promise.all([...inFlight]);
  await ledger.drain(step, drainMs);
  const cpuUsage = cpu?.stop() ?? null;
  const seconds = Math.max(total / rate, (tally.lastAck - start) / 1000);
  return summarise(step, { label, rate, total, seconds, tally, cpuUsage });
}

function summarise(step, { label, rate, total, seconds, tally, cpuUsage }) {
  const acked = step.records.filter((r) => r.ackedAt !== null);
  const latencies = step.records.filter((r) => r.receivedAt !== null).map((r) => r.receivedAt - r.sentAt);
  const result = {
    label,
    targetRate: rate,
    scheduled: total,
    skipped: tally.skipped,
    sent: step.records.length,
    acknowledged: acked.length,
    errors: tally.errors,
    errorSamples: tally.errorSamples,
    achievedRate: Math.round((acked.length / seconds) * 10) / 10,
    seconds: Math.round(seconds * 100) / 100,
    delivered: latencies.length,
    lost: missing(step).length,
    duplicates: step.duplicates,
    outOfOrder: step.outOfOrder,
    gaps: step.gaps,
    seqMismatches: seqMismatches(step),
    latencyMs: percentiles(latencies),
    ackLatencyMs: percentiles(tally.ackMs),
    cpu: cpuUsage,
  };
  return { ...result, ...verdict(result) };
}

function verdict(step) {
  const integrity = [];
  if (step.lost) integrity.push(`${step.lost} lost`);
  if (step.duplicates) integrity.push(`${step.duplicates} duplicated`);
  if (step.outOfOrder || step.gaps) integrity.push(`${step.outOfOrder} out of order, ${step.gaps} gaps`);
  if (step.seqMismatches) integrity.push(`${step.seqMismatches} with another seq than acknowledged`);
  const reasons = [...integrity];
  if (step.errors) reasons.push(`${step.errors} failed sends`);
  if (step.achievedRate < step.targetRate * MIN_ACHIEVED_RATIO) {
    reasons.push(`achieved ${step.achievedRate}/s < ${MIN_ACHIEVED_RATIO * 100} % of target`);
  }
  if (!(step.latencyMs.p99 <= MAX_P99_MS)) reasons.push(`p99 ${step.latencyMs.p99} ms > ${MAX_P99_MS} ms`);
  return { pass: reasons.length === 0, integrityFailed: integrity.length > 0, reasons };
}

export function percentiles(values) {
  if (!values.length) return { p50: null, p95: null, p99: null, max: null };
  const sorted = Float64Array.from(values).sort();
  const at = (q) => round2(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round2(sorted[sorted.length - 1]) };
}

const round2 = (n) => Math.round(n * 100) / 100;

/**
 * The highest rate the server sustains: from `startRate`, doubles the rate while steps pass (up to
 * `maxRate`), or halves it while they fail (down to `minRate`); then bisects `refineSteps` times
 * between the highest passing and the lowest failing rate. A step that loses, repeats or reorders a
 * message ends the search at once.
 */
export async function findMaxRate({ run, startRate, maxRate, minRate, refineSteps }) {
  const steps = [];
  let best = null;
  let failedAt = null;
  const attempt = async (rate) => {
    const step = await run(rate);
    steps.push(step);
    if (step.pass) best = step;
    else failedAt = rate;
    return step;
  };
  let step = await attempt(startRate);
  const upwards = step.pass;
  for (let rate = startRate; !step.integrityFailed && step.pass === upwards;) {
    rate = upwards ? rate * 2 : niceRate(rate / 2);
    if (rate > maxRate || rate < minRate) break;
    step = await attempt(rate);
  }
  for (let i = 0; i < refineSteps && best && failedAt && !step.integrityFailed; i += 1) {
    const rate = niceRate((best.targetRate + failedAt) / 2);
    if (rate <= best.targetRate || rate >= failedAt) break;
    step = await attempt(rate);
  }
  return { steps, best, failedAt };
}

/** Rounds to a multiple of 10 (of 1 below 100), so that the rates read well. */
export const niceRate = (rate) => (rate < 100 ? Math.max(1, Math.round(rate)) : Math.round(rate / 10) * 10);
