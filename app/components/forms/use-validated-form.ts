import { zodResolver } from "@hookform/resolvers/zod";
import { useActionData, useSubmit } from "@remix-run/react";
import { useEffect, useState, type FormEvent } from "react";
import { useForm, type DefaultValues, type FieldError, type FieldErrors, type FieldValues, type Path, type RegisterOptions } from "react-hook-form";
import type { z } from "zod";

interface ActionFailure {
  errors?: Record<string, string[]>;
  values?: Record<string, string | string[]>;
}

/**
 * react-hook-form with the same zod schema the action uses. In the browser it
 * validates before posting; the server's answer (errors + the user's values)
 * is merged back, so a rejected form keeps its input and shows its errors —
 * also before hydration or without JavaScript, where react-hook-form's own
 * state does not exist yet: `register` then carries the value as the input's
 * defaultValue, and `errors` holds the server's errors.
 */
export function useValidatedForm<S extends z.ZodType<FieldValues, FieldValues>>(
  schema: S,
  options: {
    defaultValues?: Partial<z.input<S>>;
    /** With several forms on one page: whether the action's answer (by the values posted) belongs to this form. */
    owns?: (values: Record<string, string | string[]>) => boolean;
  } = {},
) {
  const answer = useActionData<ActionFailure>();
  const actionData = answer && (!options.owns || options.owns(answer.values ?? {})) ? answer : undefined;
  const submit = useSubmit();
  const [hydrated, setHydrated] = useState(false);
  const values = { ...options.defaultValues, ...actionData?.values } as Record<string, unknown>;
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    resolver: zodResolver(schema as never) as never,
    mode: "onTouched",
    defaultValues: values as DefaultValues<z.input<S>>,
  });

  useEffect(() => setHydrated(true), []);
  useEffect(() => {
    if (!actionData?.errors) return;
    for (const [name, messages] of Object.entries(actionData.errors)) {
      form.setError(name as Path<z.input<S>>, { type: "server", message: messages[0] }, { shouldFocus: false });
    }
  }, [actionData, form]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const target = event.currentTarget;
    void form.handleSubmit(() => submit(target))(event);
  };

  const register = (name: Path<z.input<S>>, rules?: RegisterOptions<z.input<S>, Path<z.input<S>>>) => {
    const value = values[name];
    return { ...form.register(name, rules), defaultValue: typeof value === "string" ? value : undefined };
  };

  const serverErrors = actionData?.errors;
  const errors: FieldErrors<z.input<S>> = hydrated
    ? form.formState.errors
    : (Object.fromEntries(Object.entries(serverErrors ?? {}).map(([k, v]) => [k, { type: "server", message: v[0] } satisfies FieldError])) as FieldErrors<z.input<S>>);

  return { form, register, errors, onSubmit, serverErrors };
}
