/** GOV.UK radios and a paging bar, shared by the IG and registers screens. */
import { type ComponentChildren, Fragment } from 'preact';

export const Radios = (props: {
  name: string;
  legend: string;
  hint?: string;
  value: string;
  options: readonly (readonly [string, string])[];
  onChange: (v: string) => void;
  small?: boolean;
  /** What the chosen option reveals beneath it (GOV.UK conditional reveal). */
  conditional?: (value: string) => ComponentChildren;
}) => (
  <div class="govuk-form-group">
    <fieldset class="govuk-fieldset" aria-describedby={props.hint ? `${props.name}-hint` : undefined}>
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{props.legend}</legend>
      {props.hint ? (
        <div class="govuk-hint" id={`${props.name}-hint`}>
          {props.hint}
        </div>
      ) : null}
      <div class={`govuk-radios${props.small ? ' govuk-radios--small' : ''}`} data-module="govuk-radios">
        {props.options.map(([value, text]) => (
          <Fragment key={value}>
            <div class="govuk-radios__item">
              <input
                class="govuk-radios__input"
                id={`${props.name}-${value}`}
                name={props.name}
                type="radio"
                value={value}
                checked={props.value === value}
                onChange={() => props.onChange(value)}
              />
              <label class="govuk-label govuk-radios__label" for={`${props.name}-${value}`}>
                {text}
              </label>
            </div>
            {props.conditional && props.value === value ? (
              <div class="govuk-radios__conditional">{props.conditional(value)}</div>
            ) : null}
          </Fragment>
        ))}
      </div>
    </fieldset>
  </div>
);

/** Previous / next over an API cursor: `pages` is the trail of cursors that led to the current page. */
export const Pager = ({
  label,
  pages,
  next,
  go,
}: {
  label: string;
  pages: readonly (string | undefined)[];
  next?: string;
  go: (cursor: string | undefined, trail: (string | undefined)[]) => void;
}) =>
  pages.length > 1 || next ? (
    <nav class="govuk-pagination govuk-pagination--block" aria-label={label}>
      {pages.length > 1 ? (
        <div class="govuk-pagination__prev">
          <button
            type="button"
            class="govuk-button govuk-button--secondary"
            onClick={() => go(pages[pages.length - 2], pages.slice(0, -1))}
          >
            Previous page
          </button>
        </div>
      ) : null}
      {next ? (
        <div class="govuk-pagination__next">
          <button
            type="button"
            class="govuk-button govuk-button--secondary"
            onClick={() => go(next, [...pages, next])}
          >
            Next page
          </button>
        </div>
      ) : null}
    </nav>
  ) : null;

export const Inset = ({ children }: { children: ComponentChildren }) => (
  <div class="govuk-inset-text">{children}</div>
);
