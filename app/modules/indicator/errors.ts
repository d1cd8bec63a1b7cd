/**
 * An indicator action refused by a rule (the recorder verifying their own
 * record, a value for a counted indicator, changed meanwhile): HTTP 409 with
 * a message key shown at the top of the form.
 */
export class IndicatorRuleError extends Error {
  constructor(public readonly messageKey: string) {
    super(messageKey);
    this.name = "IndicatorRuleError";
  }
}
