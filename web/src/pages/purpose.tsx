/** The purpose question every playback, download and release asks (policy s.6 a–e, or other + IG advice). */
import { OTHER_PURPOSE, PURPOSES } from '../../../functions/domain/purposes';
import { Field } from '../ui';

export const PURPOSE_TEXT: Record<string, string> = {
  'quality-monitoring': 'Monitor the quality of call handling and customer service (s.6 a)',
  training: 'Staff training, coaching and support (s.6 b)',
  'dispute-verification': 'Verify what was said in a dispute or complaint (s.6 c)',
  'staff-protection': 'Protect staff from abusive behaviour (s.6 d)',
  'agreement-verification': "Verify the customer's agreement to a service request (s.6 e)",
  other: 'Another purpose, with Corporate IG advice',
};

export interface PurposeAnswer {
  purpose: string;
  igAdviceRef: string;
}

export const purposeBody = (a: PurposeAnswer) =>
  a.purpose === OTHER_PURPOSE ? { purpose: a.purpose, igAdviceRef: a.igAdviceRef } : { purpose: a.purpose };

export const PurposeQuestion = ({
  legend,
  value,
  onChange,
  idPrefix = 'purpose',
}: {
  legend: string;
  value: PurposeAnswer;
  onChange: (v: PurposeAnswer) => void;
  idPrefix?: string;
}) => (
  <div class="govuk-form-group">
    <fieldset class="govuk-fieldset" aria-describedby={`${idPrefix}-hint`}>
      <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">{legend}</legend>
      <div class="govuk-hint" id={`${idPrefix}-hint`}>
        The Call Recording Policy allows these purposes. Your choice is recorded on the audit log.
      </div>
      <div class="govuk-radios" data-module="govuk-radios">
        {[...PURPOSES, OTHER_PURPOSE].map((p) => (
          <div class="govuk-radios__item" key={p}>
            <input
              class="govuk-radios__input"
              id={`${idPrefix}-${p}`}
              name={idPrefix}
              type="radio"
              value={p}
              checked={value.purpose === p}
              onChange={() => onChange({ ...value, purpose: p })}
            />
            <label class="govuk-label govuk-radios__label" for={`${idPrefix}-${p}`}>
              {PURPOSE_TEXT[p]}
            </label>
          </div>
        ))}
      </div>
    </fieldset>
    {value.purpose === OTHER_PURPOSE ? (
      <Field
        id={`${idPrefix}-igAdviceRef`}
        label="Corporate IG advice reference"
        hint="The reference of the advice Information Governance gave for this use"
        value={value.igAdviceRef}
        onInput={(v) => onChange({ ...value, igAdviceRef: v })}
      />
    ) : null}
  </div>
);
