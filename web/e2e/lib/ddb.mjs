// A minimal DynamoDB client for the tests' seeding: JSON requests to the
// local engine of `cruddur serve` (its :8000 endpoint), signed with SigV4 as
// the SDKs do (the local endpoint accepts any key without a credentials file).
import { createHash, createHmac } from 'node:crypto';

const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const hmac = (key, s) => createHmac('sha256', key).update(s).digest();

/** Calls DynamoDB operation `op` with `body`; resolves with the parsed answer, rejects on an error. */
export async function ddbCall(endpoint, op, body, { region = 'us-east-1', accessKey = 'local', secretKey = 'local' } = {}) {
  const url = new URL(endpoint);
  const payload = JSON.stringify(body);
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers = {
    'content-type': 'application/x-amz-json-1.0',
    host: url.host,
    'x-amz-date': amzDate,
    'x-amz-target': `DynamoDB_20120810.${op}`,
  };
  const signed = Object.keys(headers).sort();
  const canonical = ['POST', '/', '', ...signed.map((h) => `${h}:${headers[h]}`), '', signed.join(';'), sha256(payload)].join('\n');
  const scope = `${day}/${region}/dynamodb/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  let key = hmac(`AWS4${secretKey}`, day);
  for (const part of [region, 'dynamodb', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      ...headers,
      authorization: `AWS4-HMAC-SHA256 Credential=${accessKey}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}`,
    },
    body: payload,
  });
  const out = await res.json();
  if (!res.ok) throw new Error(`${op}: ${res.status} ${JSON.stringify(out)}`);
  return out;
}

/** Puts `items` (DynamoDB JSON) into `table`, 25 per BatchWriteItem, retrying unprocessed ones. */
export async function batchPut(endpoint, table, items) {
  for (let i = 0; i < items.length; i += 25) {
    let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length; attempt++) {
      if (attempt > 20) throw new Error('BatchWriteItem: items left unprocessed');
      const out = await ddbCall(endpoint, 'BatchWriteItem', { RequestItems: { [table]: requests } });
      requests = out.UnprocessedItems?.[table] ?? [];
      if (requests.length) await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
    }
  }
}

/** The messages layer's sort key for a time in ms: "2026-11-24T00:23:27.123456+00:00". */
export function sortKey(ms, micros = 0) {
  const iso = new Date(ms).toISOString(); // 2026-11-24T00:23:27.123Z
  return `${iso.slice(0, 23)}${String(micros).padStart(3, '0')}+00:00`;
}

/** A message item of conversation `group` (src/cruddur/messaging/message_store.cc MessageItem). */
export function messageItem(group, sk, uuid, sender, text) {
  return {
    pk: { S: `MSG#${group}` },
    sk: { S: sk },
    message_uuid: { S: uuid },
    message: { S: text },
    user_uuid: { S: sender.uuid },
    user_display_name: { S: sender.display_name },
    user_handle: { S: sender.handle },
  };
}
