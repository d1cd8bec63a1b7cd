import nodemailer, { type Transporter } from "nodemailer";

/** SMTP transport with bounded timeouts, so a hanging server fails the attempt instead of the worker (QUALITY R6). */
export function createMailTransport(smtpUrl: string): Transporter {
  const url = new URL(smtpUrl);
  const local = url.hostname === "127.0.0.1" || url.hostname === "localhost";
  return nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (url.protocol === "smtps:" ? 465 : 587)),
    secure: url.protocol === "smtps:",
    ignoreTLS: local,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}
