/**
 * RFC 6266 / 5987 Content-Disposition for downloads: an ASCII fallback
 * (printable ASCII except quote and backslash; everything else "_") and the
 * UTF-8 name percent-encoded, so Chinese names survive every browser
 * (QUALITY S12).
 */
export function contentDisposition(kind: "attachment" | "inline", name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export const attachmentDisposition = (name: string) => contentDisposition("attachment", name);
