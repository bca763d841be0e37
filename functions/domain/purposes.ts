/** Policy s.1 and s.6 (a)–(e): the only purposes a recording may be used for without IG advice. */
export const PURPOSES = [
  'quality-monitoring', // s.6 (a) monitor the quality of call handling and customer service
  'training', // s.6 (b) staff training, coaching and support
  'dispute-verification', // s.6 (c) verify what was said in a dispute or complaint
  'staff-protection', // s.6 (d) protect staff from abusive behaviour
  'agreement-verification', // s.6 (e) verify the customer's agreement during certain service requests
] as const;

export type Purpose = (typeof PURPOSES)[number];

/** Any other purpose: allowed only once Corporate IG advice is recorded (s.6, "advice must be sought"). */
export const OTHER_PURPOSE = 'other' as const;
