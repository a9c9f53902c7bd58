#!/usr/bin/env node
// Posts one message to a Slack incoming webhook (the deploy workflow's failure notice).
//   SLACK_WEBHOOK_URL=https://hooks.slack.com/services/… node scripts/notify-slack.mjs "text"
// Without SLACK_WEBHOOK_URL it says so and exits 0: a repository without the secret still deploys. A webhook that
// refuses the message is an error (exit 1), so a broken notifier shows up in the run.
const url = process.env.SLACK_WEBHOOK_URL;
const text = process.argv.slice(2).join(' ').trim();
if (!text) {
  console.error('notify-slack: usage: notify-slack.mjs "message"');
  process.exit(2);
}
if (!url) {
  console.log('notify-slack: SLACK_WEBHOOK_URL is not set (repository secret); not notifying.');
  process.exit(0);
}
try {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text }),
    signal: AbortSignal.timeout(15_000),
  });
  if (!r.ok) {
    console.error(`notify-slack: the webhook answered HTTP ${r.status}: ${(await r.text()).slice(0, 200)}`);
    process.exit(1);
  }
  console.log('notify-slack: sent');
} catch (e) {
  console.error(`notify-slack: could not reach the webhook: ${e.cause?.code ?? e.message}`);
  process.exit(1);
}
