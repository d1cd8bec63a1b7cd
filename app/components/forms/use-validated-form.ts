import { zodResolver } from "@hookform/resolvers/zod";
import { useActionData, useSubmit } from "@remix-run/react";
import { useEffect, type FormEvent } from "react";
import { useForm, type DefaultValues, type FieldValues, type Path } from "react-hook-form";
import type { z } from "zod";

interface ActionFailure {
  errors?: Record<string, string[]>;
  values?: Record<string, string>;
}

/**
 * react-hook-form with the same zod schema the action uses. In the browser it
 * validates before posting; the server's answer (errors + the user's values)
 * is merged back, so a rejected form keeps its input with or without JS.
 */
export function useValidatedForm<S extends z.ZodType<FieldValues, FieldValues>>(
  schema: S,
  options: { defaultValues?: Partial<z.input<S>> } = {},
) {
  const actionData = useActionData<ActionFailure>();
  const submit = useSubmit();
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    resolver: zodResolver(schema as never) as never,
    mode: "onTouched",
    defaultValues: { ...options.defaultValues, ...actionData?.values } as DefaultValues<z.input<S>>,
  });

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

  return { form, onSubmit, serverErrors: actionData?.errors };
}
