/**
 * A domain rule refused the input. Routes turn it into a 400 with the message
 * key next to `field` (or at the top of the form for "form").
 */
export class FieldError extends Error {
  constructor(
    public readonly field: string,
    public readonly messageKey: string,
  ) {
    super(`${field}: ${messageKey}`);
    this.name = "FieldError";
  }
}
