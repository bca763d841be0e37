/** CloudWatch metrics as Embedded Metric Format log lines: no API call, no extra permission. */

import { ENV } from '../../declarations/environment.js';
import { METRIC_NAMESPACE } from '../../declarations/metrics.js';
import { optionalEnv } from './env.js';

export const metric = (
  name: string,
  dimensions: Record<string, string> = {},
  value = 1,
  unit: 'Count' | 'Bytes' | 'Milliseconds' = 'Count',
): void => {
  if (optionalEnv(ENV.logLevel) === 'silent') return;
  console.log(
    JSON.stringify({
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: METRIC_NAMESPACE,
            Dimensions: [Object.keys(dimensions)],
            Metrics: [{ Name: name, Unit: unit }],
          },
        ],
      },
      ...dimensions,
      [name]: value,
    }),
  );
};
