import type { Child } from "hono/jsx";

export interface FieldProps {
  /** The JSON field the API reads (and names in a problem's `errors[].path`). */
  name: string;
  label: string;
  /** Unique on the page; defaults to the name. */
  id?: string;
  type?: "text" | "password" | "number" | "search" | "file" | "hidden";
  value?: string | number;
  required?: boolean;
  min?: number;
  max?: number;
  step?: number;
  autocomplete?: string;
  hint?: string;
  /** `integer`: the form client sends a number, not a string. */
  dataType?: "integer";
  multiline?: boolean;
  extra?: Record<string, string | boolean>;
}

/**
 * One labelled input with the place its errors go (contract "Forms"): the form client fills
 * `[data-error-for=<path>]` from a problem's `errors[]` and marks the input invalid.
 */
export function Field(props: FieldProps) {
  const id = props.id ?? props.name.replace(/\./g, "-");
  const describedBy = [props.hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(" ");
  const common = {
    id,
    name: props.name,
    required: props.required,
    "aria-describedby": describedBy,
    ...(props.dataType ? { "data-type": props.dataType } : {}),
    ...props.extra,
  };
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...common} rows={5}>
          {props.value}
        </textarea>
      ) : (
        <input
          {...common}
          type={props.type ?? "text"}
          value={props.value}
          min={props.min}
          max={props.max}
          step={props.step}
          autocomplete={props.autocomplete}
          inputmode={props.dataType === "integer" ? "numeric" : undefined}
        />
      )}
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      <p class="field-error" id={`${id}-error`} data-error-for={props.name} />
    </div>
  );
}

export interface ApiFormProps {
  action: string;
  method?: "PUT" | "DELETE" | "PATCH";
  children: Child;
  redirect?: string;
  redirectTemplate?: string;
  reload?: boolean;
  idempotent?: boolean;
  class?: string;
  extra?: Record<string, string | boolean>;
  label?: string;
}

/** A form the client sends to the JSON API (contract "Forms"), with its form-level error line. */
export function ApiForm(props: ApiFormProps) {
  return (
    <form
      data-api-form
      action={props.action}
      method="post"
      class={props.class ?? "stack"}
      aria-label={props.label}
      data-method={props.method}
      data-redirect={props.redirect}
      data-redirect-template={props.redirectTemplate}
      data-reload={props.reload || undefined}
      data-idempotent={props.idempotent || undefined}
      {...props.extra}
    >
      <p class="form-error" role="alert" data-form-error />
      {props.children}
    </form>
  );
}
