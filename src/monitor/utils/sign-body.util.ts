import { createHmac } from 'node:crypto';

/** The X-Store-Monitor-Signature of a webhook body: `sha256=` and the hex HMAC-SHA256 of the body's bytes with the secret. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}
