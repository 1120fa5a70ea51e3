// Every message the benchmark sends carries a key and its send time in its text:
// `bench <step>.<n> <epoch ms with µs>`. The ledger records what was sent and acknowledged, and what
// the subscribers received, and checks that each message arrives exactly once and in seq order.

const PREFIX = 'bench';

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across the run. */
export const nowMs = () => performance.timeOrigin + performance.now();

export const messageText = (key, sentAt) => `${PREFIX} ${key} ${sentAt.toFixed(3)}`;

function keyOf(text) {
  const parts = typeof text === 'string' ? text.split(' ') : [];
  return parts[0] === PREFIX ? parts[1] : null;
}

export class DeliveryLedger {
  /** Per conversation: the seq expected next, so that gaps and repeats show at once. */
  #next;
  #messages = new Map();
  #steps = [];
  /** Received messages the benchmark did not send (never expected). */
  unknown = 0;

  constructor(conversationCount) {
    this.#next = new Array(conversationCount).fill(null);
  }

  /** Messages of `conversation` start at `seq` (the subscription asked for those after seq - 1). */
  expectFrom(conversation, seq) {
    this.#next[conversation] = seq;
  }

  /** The newest seq received in `conversation`. */
  lastSeq(conversation) {
    return this.#next[conversation] - 1;
  }

  openStep(label) {
    const step = { id: this.#steps.length, label, records: [], waiting: 0, duplicates: 0, outOfOrder: 0, gaps: 0 };
    this.#steps.push(step);
    return step;
  }

  track(step, key, conversation, sentAt) {
    const record = { step, conversation, sentAt, seq: null, ackedAt: null, receivedAt: null, receivedSeq: null };
    this.#messages.set(key, record);
    step.records.push(record);
    return record;
  }

  /** The server stored the message (the send returned its seq). */
  acked(record, seq, at) {
    record.seq = seq;
    record.ackedAt = at;
    if (record.receivedAt === null) record.step.waiting += 1;
  }

  /** A subscriber got a message: called for every delivery, including repeats. */
  received(conversation, seq, text, at) {
    const expected = this.#next[conversation];
    const order = expected === null || seq === expected ? 'next' : seq > expected ? 'gap' : 'behind';
    if (seq >= (expected ?? 0)) this.#next[conversation] = seq + 1;
    const record = this.#messages.get(keyOf(text));
    if (!record) {
      this.unknown += 1;
      return;
    }
    if (record.receivedAt !== null) {
      record.step.duplicates += 1;
      return;
    }
    if (order === 'gap') record.step.gaps += 1;
    if (order === 'behind') record.step.outOfOrder += 1;
    record.receivedAt = at;
    record.receivedSeq = seq;
    if (record.ackedAt !== null) record.step.waiting -= 1;
  }

  /** Waits until every acknowledged message of `step` has arrived, or `timeoutMs` passed. */
  async drain(step, timeoutMs) {
    const deadline = performance.now() + timeoutMs;
    while (step.waiting > 0 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Integrity over the whole run, counted at the end so that late repeats are seen too. */
  totals() {
    const sum = (fn) => this.#steps.reduce((n, step) => n + fn(step), 0);
    return {
      acknowledged: sum((s) => s.records.filter((r) => r.ackedAt !== null).length),
      delivered: sum((s) => s.records.filter((r) => r.receivedAt !== null).length),
      lost: sum((s) => missing(s).length),
      duplicates: sum((s) => s.duplicates),
      outOfOrder: sum((s) => s.outOfOrder),
      gaps: sum((s) => s.gaps),
      seqMismatches: sum((s) => seqMismatches(s)),
      unknown: this.unknown,
    };
  }
}

/** Acknowledged (stored) but not received. */
export const missing = (step) => step.records.filter((r) => r.ackedAt !== null && r.receivedAt === null);

/** Received with another seq than the send acknowledged. */
export const seqMismatches = (step) =>
  step.records.filter((r) => r.receivedAt !== null && r.seq !== null && r.seq !== r.receivedSeq).length;
