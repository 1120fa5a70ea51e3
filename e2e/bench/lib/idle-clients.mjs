// Child process of messages.bench.mjs (started with an IPC channel): holds `count` graphql-ws
// connections to the Parley server, each with one `conversationMessages` subscription, so that the
// server's memory per idle connection can be measured. A separate process because `ulimit -n`
// (20,000 here) counts the sockets of each side. Configuration: JSON in argv[2]
//   { url, token, count, conversations: [{ id, afterSeq }], concurrency }
// A subscription counts as live once it delivered the replayed message after `afterSeq` (the
// conversation's newest). To the parent: progress, ready, live, closed. From it: check-live, close.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const OPEN_TIMEOUT_MS = 60_000;
const CLOSE_TIMEOUT_MS = 15_000;
const PROGRESS_EVERY_MS = 2_000;
const ERROR_SAMPLES = 5;
const FEED =
  'subscription ($conversationId: ID!, $afterSeq: Int) { conversationMessages(conversationId: $conversationId, afterSeq: $afterSeq) { message { seq } } }';

const config = JSON.parse(process.argv[2]);
const clients = [];
const counts = { acknowledged: 0, subscribed: 0, failed: 0, droppedLater: 0, closed: 0, repeats: 0 };
const errorSamples = [];
let closing = false;

// Without the parent, nothing would ever close these sockets.
process.on('disconnect', () => process.exit(1));

function noteError(message) {
  if (errorSamples.length < ERROR_SAMPLES) errorSamples.push(message);
}

/** Opens one connection and its subscription; resolves when it is live or has failed. */
function open(i) {
  const conversation = config.conversations[i % config.conversations.length];
  const state = { seqs: [], settled: false };
  clients.push(state);
  return new Promise((resolve) => {
    const settle = (failure) => {
      if (state.settled) return;
      state.settled = true;
      clearTimeout(timer);
      if (failure) {
        counts.failed += 1;
        noteError(failure);
      } else counts.subscribed += 1;
      resolve();
    };
    const timer = setTimeout(() => settle('no replayed message within the time limit'), OPEN_TIMEOUT_MS);
    state.client = createClient({
      url: config.url,
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${config.token}` },
      lazy: true,
      retryAttempts: 0,
      on: {
        connected: () => (counts.acknowledged += 1),
        closed: (event) => {
          counts.closed += 1;
          if (closing) return;
          if (state.settled) counts.droppedLater += 1;
          settle(`socket closed ${event?.code ?? ''} ${event?.reason ?? ''}`.trim());
        },
      },
    });
    state.client.subscribe(
      { query: FEED, variables: { conversationId: conversation.id, afterSeq: conversation.afterSeq } },
      {
        next: (result) => {
          if (result.errors?.length) return settle(result.errors[0].message);
          const seq = result.data.conversationMessages.message.seq;
          if (state.seqs.length && seq <= state.seqs.at(-1)) counts.repeats += 1;
          state.seqs.push(seq);
          settle();
        },
        error: (e) => settle(e instanceof Error ? e.message : JSON.stringify(e)),
        complete: () => settle('subscription ended'),
      },
    );
  });
}

async function openAll() {
  let next = 0;
  const worker = async () => {
    while (next < config.count) await open(next++);
  };
  const progress = setInterval(() => process.send({ type: 'progress', ...counts }), PROGRESS_EVERY_MS);
  await Promise.all(Array.from({ length: config.concurrency }, worker));
  clearInterval(progress);
  process.send({ type: 'ready', ...counts, errorSamples });
}

/** After the parent sent one more message into each conversation: did every live client get it? */
async function checkLive(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  const live = () => clients.filter((c) => c.seqs.length >= 2).length;
  while (live() < counts.subscribed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  process.send({ type: 'live', live: live(), subscribed: counts.subscribed, ...counts });
}

async function closeAll() {
  closing = true;
  await Promise.all(clients.map((c) => c.client.dispose()));
  // dispose() starts the close handshake; wait for the sockets to be gone before reporting.
  const deadline = Date.now() + CLOSE_TIMEOUT_MS;
  while (counts.closed < counts.acknowledged && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  process.send({ type: 'closed', ...counts }, () => process.exit(0));
}

process.on('message', (command) => {
  if (command.type === 'check-live') void checkLive(command.timeoutMs);
  if (command.type === 'close') void closeAll();
});

await openAll();
