/** GOV.UK Design System patterns as small Preact components (markup from govuk-frontend's templates). */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { ApiProblem } from './api';
import type { Problem } from './refusals';

export const Heading = ({ children, caption }: { children: ComponentChildren; caption?: string }) => {
  const ref = useRef<HTMLHeadingElement>(null);
  // A new screen moves focus to its heading, so screen readers announce it (single-page app).
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 class="govuk-heading-l" tabIndex={-1} ref={ref}>
      {caption ? <span class="govuk-caption-l">{caption}</span> : null}
      {children}
    </h1>
  );
};

export const problemOf = (error: unknown): Problem =>
  error instanceof ApiProblem
    ? error.problem
    : {
        status: 0,
        title: 'Sorry, something went wrong',
        detail: error instanceof Error ? error.message : String(error),
      };

/** A refusal or failure: the API's reason in plain words, the policy clause, the correlation id. */
export const ProblemBox = ({ problem }: { problem: Problem }) => {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [problem]);
  return (
    <div
      class="govuk-error-summary"
      data-module="govuk-error-summary"
      tabIndex={-1}
      ref={ref}
      data-testid="problem"
    >
      <div role="alert">
        <h2 class="govuk-error-summary__title">{problem.title}</h2>
        <div class="govuk-error-summary__body">
          <p class="govuk-body">{problem.detail}</p>
          {problem.fields?.length ? (
            <ul class="govuk-list govuk-error-summary__list">
              {problem.fields.map((f) => (
                <li key={f.field}>
                  {f.field.replace(/^(body|query|path)\./, '')}: {f.message}
                </li>
              ))}
            </ul>
          ) : null}
          {problem.clause ? (
            <p class="govuk-body" data-testid="clause">
              {problem.clause}
            </p>
          ) : null}
          {problem.correlationId ? (
            <p class="govuk-body" data-testid="correlation-id">
              Quote this reference to the IT service desk: <strong>{problem.correlationId}</strong>
            </p>
          ) : null}
        </div>
      </div>
    </div>
  );
};

export const Success = ({ title, children }: { title: string; children?: ComponentChildren }) => (
  <div
    class="govuk-notification-banner govuk-notification-banner--success"
    role="alert"
    aria-labelledby="success-title"
  >
    <div class="govuk-notification-banner__header">
      <h2 class="govuk-notification-banner__title" id="success-title">
        Success
      </h2>
    </div>
    <div class="govuk-notification-banner__content">
      <p class="govuk-notification-banner__heading">{title}</p>
      {children}
    </div>
  </div>
);

export const Field = (props: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onInput: (v: string) => void;
  type?: 'text' | 'date';
  width?: string;
  autocomplete?: string;
}) => (
  <div class="govuk-form-group">
    <label class="govuk-label" for={props.id}>
      {props.label}
    </label>
    {props.hint ? (
      <div class="govuk-hint" id={`${props.id}-hint`}>
        {props.hint}
      </div>
    ) : null}
    <input
      class={`govuk-input ${props.width ?? ''}`}
      id={props.id}
      name={props.id}
      // Preact types each input type apart; both kinds take the same attributes here.
      type={(props.type ?? 'text') as 'text'}
      value={props.value}
      autocomplete={props.autocomplete ?? 'off'}
      aria-describedby={props.hint ? `${props.id}-hint` : undefined}
      onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
    />
  </div>
);

export const TextArea = (props: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onInput: (v: string) => void;
}) => (
  <div class="govuk-form-group">
    <label class="govuk-label" for={props.id}>
      {props.label}
    </label>
    {props.hint ? (
      <div class="govuk-hint" id={`${props.id}-hint`}>
        {props.hint}
      </div>
    ) : null}
    <textarea
      class="govuk-textarea"
      id={props.id}
      name={props.id}
      rows={3}
      value={props.value}
      aria-describedby={props.hint ? `${props.id}-hint` : undefined}
      onInput={(e) => props.onInput((e.target as HTMLTextAreaElement).value)}
    />
  </div>
);

export const Select = (props: {
  id: string;
  label: string;
  value: string;
  options: readonly (readonly [string, string])[];
  onChange: (v: string) => void;
}) => (
  <div class="govuk-form-group">
    <label class="govuk-label" for={props.id}>
      {props.label}
    </label>
    <select
      class="govuk-select"
      id={props.id}
      name={props.id}
      value={props.value}
      onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}
    >
      {props.options.map(([value, text]) => (
        <option key={value} value={value}>
          {text}
        </option>
      ))}
    </select>
  </div>
);

export const Rows = ({ rows }: { rows: readonly (readonly [string, ComponentChildren])[] }) => (
  <dl class="govuk-summary-list">
    {rows.map(([key, value]) => (
      <div class="govuk-summary-list__row" key={key}>
        <dt class="govuk-summary-list__key">{key}</dt>
        <dd class="govuk-summary-list__value">{value ?? '—'}</dd>
      </div>
    ))}
  </dl>
);

export const Table = ({
  caption,
  head,
  rows,
  testid,
}: {
  caption: string;
  head: readonly string[];
  rows: readonly (readonly ComponentChildren[])[];
  testid?: string;
}) => (
  // A wide table scrolls sideways: keyboard users must reach it with Tab to scroll it (WCAG 2.1.1).
  // biome-ignore lint/a11y/noNoninteractiveTabindex: axe scrollable-region-focusable requires it
  <section class="portal-table-wrap" tabIndex={0} aria-label={caption}>
    <table class="govuk-table" data-testid={testid}>
      <caption class="govuk-table__caption govuk-table__caption--m">{caption}</caption>
      <thead class="govuk-table__head">
        <tr class="govuk-table__row">
          {head.map((h) => (
            <th scope="col" class="govuk-table__header" key={h}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody class="govuk-table__body">
        {rows.map((cells, i) => (
          <tr class="govuk-table__row" key={i}>
            {cells.map((c, j) => (
              <td class="govuk-table__cell" key={j}>
                {c}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  </section>
);

export const Button = (props: {
  children: ComponentChildren;
  onClick?: () => void;
  secondary?: boolean;
  warning?: boolean;
  type?: 'button' | 'submit';
  disabled?: boolean;
}) => (
  <button
    type={props.type ?? 'button'}
    class={`govuk-button${props.secondary ? ' govuk-button--secondary' : ''}${props.warning ? ' govuk-button--warning' : ''}`}
    data-module="govuk-button"
    disabled={props.disabled}
    onClick={props.onClick}
  >
    {props.children}
  </button>
);

export const when = (iso: string | undefined): string =>
  iso
    ? new Date(iso).toLocaleString('en-GB', {
        dateStyle: 'medium',
        timeStyle: 'short',
        timeZone: 'Europe/London',
      })
    : '—';

export const day = (iso: string | undefined): string =>
  iso ? new Date(iso).toLocaleDateString('en-GB', { dateStyle: 'medium', timeZone: 'Europe/London' }) : '—';

export const Tag = ({ children, colour }: { children: ComponentChildren; colour?: string }) => (
  <strong class={`govuk-tag${colour ? ` govuk-tag--${colour}` : ''}`}>{children}</strong>
);

/** Downloads text as a file (CSV and JSON exports) without leaving the page. */
export const saveText = (name: string, text: string, type: string) => {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
};
