/** The accessibility statement the Public Sector Bodies Accessibility Regulations 2018 require. */
import { Heading } from '../ui';

export const AccessibilityStatement = () => (
  <>
    <Heading>Accessibility statement for the call recordings portal</Heading>
    <p class="govuk-body">
      This statement applies to the council's call recordings portal, used by council staff to hear, release
      and keep recordings of telephone calls.
    </p>
    <h2 class="govuk-heading-m">How accessible this service is</h2>
    <p class="govuk-body">
      The portal is built with the GOV.UK Design System and aims to meet the Web Content Accessibility
      Guidelines (WCAG) version 2.2 AA standard. You should be able to:
    </p>
    <ul class="govuk-list govuk-list--bullet">
      <li>use every screen, including the audio player, with a keyboard alone</li>
      <li>use the portal with a screen reader</li>
      <li>zoom in up to 400% without text spilling off the screen</li>
      <li>change colours and fonts with your browser's settings</li>
    </ul>
    <h2 class="govuk-heading-m">Known limitations</h2>
    <p class="govuk-body">
      Call recordings are audio only. The portal does not provide transcripts, because the Call Recording
      Policy does not allow recordings to be copied into other forms. If you cannot hear a recording, ask a
      colleague with access to the same service area, or contact Information Governance.
    </p>
    <h2 class="govuk-heading-m">Feedback and contact information</h2>
    <p class="govuk-body">
      If you find a problem with the accessibility of this portal, tell the IT service desk. We aim to reply
      within 5 working days.
    </p>
    <h2 class="govuk-heading-m">Enforcement procedure</h2>
    <p class="govuk-body">
      The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies
      (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018. If you are not happy with how
      we respond to your complaint, contact the Equality Advisory and Support Service (EASS).
    </p>
    <h2 class="govuk-heading-m">How we tested this service</h2>
    <p class="govuk-body">
      Every screen is checked automatically on each change with axe-core against WCAG 2.2 A and AA, in a real
      Chromium browser, and the playback journey is done with the keyboard alone. This statement was prepared
      in December 2026.
    </p>
  </>
);
