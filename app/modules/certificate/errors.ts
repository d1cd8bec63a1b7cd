/**
 * A certificate action refused by a rule (not found, no longer valid, not
 * the window's to do): HTTP 409 with a message key shown at the top of the form.
 */
export class CertificateRuleError extends Error {
  constructor(public readonly messageKey: string) {
    super(messageKey);
    this.name = "CertificateRuleError";
  }
}
