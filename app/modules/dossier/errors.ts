/** The dossier changed since the form was loaded (optimistic lock): "changed meanwhile", HTTP 409. */
export class ConflictError extends Error {
  constructor() {
    super("dossier changed meanwhile");
    this.name = "ConflictError";
  }
}

/** The action is not allowed for this dossier in its state, or for this user: HTTP 409 with a message key. */
export class DossierRuleError extends Error {
  constructor(public readonly messageKey: string) {
    super(messageKey);
    this.name = "DossierRuleError";
  }
}
