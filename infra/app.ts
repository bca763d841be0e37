/** CDK entry point (`cdk.json` → `npx tsx infra/app.ts`). */
import { App } from 'aws-cdk-lib';
import { ConfigError } from './config.js';
import { defineApp } from './stack.js';

try {
  defineApp(new App());
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  // One clear line naming the key instead of a stack trace.
  console.error(error.message);
  process.exit(1);
}
