// The errors a user can meet, as a sentence and the actions that help (issue 5: refused, timeout,
// TLS failure, nick in use, wrong password, banned, server closed). Never a stack trace. Pure: the
// same ErrorView feeds the VS Code message (buttons) and the webview (ConnectionView.error).
import type { ErrorView, WebviewCommand } from '../../webview/messages.ts';
import { PinMismatchError } from '../client/transport.ts';

export interface ConnectTarget {
  readonly host: string;
  readonly port: number;
  readonly nick: string;
  readonly tls?: boolean;
  /** Set when logging in with SASL. */
  readonly account?: string;
}

type Describe = (t: ConnectTarget, detail: string) => ErrorView;

const where = (t: ConnectTarget) => `${t.host}:${t.port}`;

const BY_CODE: Record<string, Describe> = {
  refused: (t) => ({
    message: `Could not connect to ${where(t)}: nothing answered there. Is the chat server running, and are the settings chatroom.host and chatroom.port right?`,
    actions: ['retry', 'host', 'openSettings'],
  }),
  timeout: (t) => ({
    message: `Could not connect to ${where(t)}: the server did not answer in time.`,
    actions: ['retry', 'openSettings'],
  }),
  tls: (t) => ({
    message: `Could not connect to ${where(t)}: the secure (TLS) connection failed. Check chatroom.tls (is the server using TLS on this port?) and the server's certificate (a team server's own certificate can be trusted with chatroom.tlsFingerprint or chatroom.tlsCertificate).`,
    actions: ['retry', 'openSettings'],
  }),
  'nick-in-use': (t) => ({
    message: `The nickname "${t.nick}" is already in use on ${where(t)}. Choose another one in the setting chatroom.nickname.`,
    actions: ['openSettings', 'retry'],
  }),
  'bad-password': (t) => ({
    message: t.account
      ? `${where(t)} did not accept the password for account "${t.account}". Log in again with the right password.`
      : `${where(t)} did not accept the password.`,
    actions: ['login', 'retry'],
  }),
  banned: (t) => ({
    message: `${where(t)} refused the connection: you are banned from this server.`,
    actions: ['openSettings'],
  }),
  closed: (t, detail) => ({
    message: `The connection to ${where(t)} was closed${detail ? `: ${detail}` : ''}.`,
    actions: ['retry', 'host', 'openSettings'],
  }),
  protocol: (t, detail) => ({
    message: `${where(t)} did not answer as a chat (IRC) server should${detail ? `: ${detail}` : ''}.`,
    actions: ['retry', 'openSettings'],
  }),
};

/** First line, no stack, no "Error:" prefix, bounded. */
export function plainDetail(error: unknown): string {
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return (text.split('\n')[0] ?? '').replace(/^\w*Error:\s*/, '').slice(0, 300);
}

export function describeConnectError(error: unknown, target: ConnectTarget): ErrorView {
  if (error instanceof PinMismatchError) {
    // Both fingerprints are computed here (hex), so they are safe to show.
    return {
      message:
        `Could not connect to ${where(target)}: its certificate is not the one chatroom.tlsFingerprint trusts. ` +
        `It has the SHA-256 fingerprint ${error.got}; expected ${error.expected}. ` +
        'If the server got a new certificate, ask whoever runs it for the new fingerprint; otherwise someone may be between you and the server.',
      actions: ['openSettings', 'retry'],
    };
  }
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const detail = plainDetail(error);
  const describe = typeof code === 'string' && Object.hasOwn(BY_CODE, code) ? BY_CODE[code]! : undefined;
  if (describe) return describe(target, code === 'closed' || code === 'protocol' ? detail : '');
  return { message: `Could not connect to ${where(target)}${detail ? `: ${detail}` : ''}.`, actions: ['retry', 'openSettings'] };
}

/** Button titles for the webview commands an error offers. */
export const ACTION_TITLES: Readonly<Partial<Record<WebviewCommand, string>>> = {
  retry: 'Retry',
  connect: 'Connect',
  host: 'Host a Server',
  openSettings: 'Open Settings',
  login: 'Log In',
  useAnotherPort: 'Use Another Port',
};
