/**
 * Development mailbox: a local SMTP server that accepts every message, so the app can send
 * real mail through nodemailer without an external relay, and hands each parsed message to
 * the caller (which stores it for the dev inbox UI and for tests).
 */
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { findFreePort } from "./postgres.ts";

export type Log = (msg: string) => void;

export interface DevMailboxMessage {
  messageId: string | null;
  /** The From header as written ("Name <addr>"), else the envelope sender. */
  from: string;
  /** Envelope recipients, so Bcc recipients are included. */
  to: string[];
  subject: string;
  text: string | null;
  html: string | null;
}

export interface DevMailboxOptions {
  /** Port on 127.0.0.1; a free one is chosen when omitted. */
  port?: number;
  onMessage: (msg: DevMailboxMessage) => Promise<void>;
  log: Log;
}

export interface DevMailboxHandle {
  /** `smtp://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Stops accepting mail; open sessions get a short grace period. Idempotent. */
  stop(): Promise<void>;
}

const HOST = "127.0.0.1";
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
const CLOSE_TIMEOUT_MS = 2_000;

type SmtpReplyError = Error & { responseCode: number };

/** smtp-server answers with `responseCode` when the onData callback gets such an error. */
function smtpReplyError(message: string, responseCode: number): SmtpReplyError {
  return Object.assign(new Error(message), { responseCode });
}

function isSmtpReplyError(error: unknown): error is SmtpReplyError {
  return error instanceof Error && typeof (error as Partial<SmtpReplyError>).responseCode === "number";
}

export async function startDevMailbox(options: DevMailboxOptions): Promise<DevMailboxHandle> {
  const { onMessage, log } = options;
  const port = options.port ?? (await findFreePort());

  const server = new SMTPServer({
    name: "greenlane-dev-mailbox",
    banner: "Greenlane development mailbox",
    authOptional: true,
    // Without TLS material STARTTLS would only fail; clients then send in clear text.
    disabledCommands: ["STARTTLS"],
    // If the app is configured with SMTP credentials, accept them rather than failing the
    // send: this mailbox is for local development only and listens on loopback.
    allowInsecureAuth: true,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? "dev" }),
    size: MAX_MESSAGE_BYTES,
    // Refuse oversize mail with 552 even though onData still reads the stream.
    rejectOversized: true,
    closeTimeout: CLOSE_TIMEOUT_MS,
    // smtp-server logs every command otherwise.
    logger: false,
    onData(stream, session, callback) {
      void (async () => {
        const parsed = await simpleParser(stream);
        if (stream.sizeExceeded) {
          throw smtpReplyError(`message exceeds ${MAX_MESSAGE_BYTES} bytes`, 552);
        }
        const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
        const message: DevMailboxMessage = {
          messageId: parsed.messageId ?? null,
          from: parsed.from?.text || envelopeFrom,
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          subject: parsed.subject ?? "",
          text: parsed.text ?? null,
          html: typeof parsed.html === "string" ? parsed.html : null,
        };
        try {
          await onMessage(message);
        } catch (error) {
          // 451 is a temporary failure: the sender keeps the message and retries later
          // instead of treating it as delivered.
          const reason = error instanceof Error ? error.message : String(error);
          log(`[mailbox] could not store message to ${message.to.join(", ")}: ${reason}`);
          throw smtpReplyError(`Temporary failure storing message: ${reason}`, 451);
        }
        log(`[mailbox] received "${message.subject}" for ${message.to.join(", ")}`);
      })().then(
        () => callback(),
        (error: unknown) => {
          if (isSmtpReplyError(error)) return callback(error);
          // Parser failure: also temporary, the message may be fine on a retry.
          log(`[mailbox] could not parse message: ${error instanceof Error ? error.message : String(error)}`);
          callback(smtpReplyError("Temporary failure parsing message", 451));
        },
      );
    },
  });
  // smtp-server re-emits listen and connection errors on itself and would throw without a
  // listener: before listening they fail startup, afterwards they are only logged.
  let listening = false;
  let failStartup: (error: Error) => void = () => undefined;
  server.on("error", (error: NodeJS.ErrnoException) => {
    if (!listening) return failStartup(error);
    log(`[mailbox] ${error.message}`);
  });

  await new Promise<void>((resolve, reject) => {
    failStartup = (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new Error(`Dev mailbox port ${port} on ${HOST} is already in use; choose another SMTP port.`)
          : error,
      );
    server.listen(port, HOST, () => {
      listening = true;
      resolve();
    });
  });
  log(`[mailbox] SMTP listening on ${HOST}:${port}`);

  let stopPromise: Promise<void> | undefined;
  const stop = () =>
    (stopPromise ??= new Promise<void>((resolve) => {
      server.close(() => {
        log("[mailbox] stopped");
        resolve();
      });
    }));

  return { url: `smtp://${HOST}:${port}`, port, stop };
}
