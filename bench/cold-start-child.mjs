// One cold start, in a fresh process (spawned by bench/cold-start.ts): either load a function's bundle
// and invoke its handler once with the event in a file, or (the baseline) import the DynamoDB and S3
// clients and do one GetItem. Prints one JSON line: import and total milliseconds, counted from this
// module's first line (Node's own start-up is the same for both and is left out).
const started = performance.now();
const [mode, target, eventFile] = process.argv.slice(2);
let importMs;
let outcome;
if (mode === 'baseline' || mode === 'baseline-require') {
  // `baseline-require` (REQUIRE_BASELINE=1): the same clients through `require`, as a CommonJS handler loads them.
  const load = async (name) =>
    mode === 'baseline' ? import(name) : (await import('node:module')).createRequire(import.meta.url)(name);
  const [{ DynamoDBClient, GetItemCommand }, { S3Client }] = await Promise.all([
    load('@aws-sdk/client-dynamodb'),
    load('@aws-sdk/client-s3'),
  ]);
  importMs = performance.now() - started;
  const ddb = new DynamoDBClient({});
  new S3Client({ forcePathStyle: true });
  const out = await ddb.send(
    new GetItemCommand({ TableName: target, Key: { recordingId: { S: 'cold-start-baseline' } } }),
  );
  outcome = out.$metadata.httpStatusCode;
} else {
  const { readFileSync } = await import('node:fs');
  // As the Lambda runtime loads a handler: `require` for CommonJS (the bundles), `import` for an ES module.
  const { handler } = target.endsWith('.cjs')
    ? (await import('node:module')).createRequire(import.meta.url)(target)
    : await import((await import('node:url')).pathToFileURL(target).href);
  importMs = performance.now() - started;
  const event = JSON.parse(readFileSync(eventFile, 'utf8'));
  const deadline = Date.now() + 30_000;
  const result = await handler(event, {
    functionName: `cold-start-${mode}`,
    functionVersion: '$LATEST',
    awsRequestId: `cold-start-${process.pid}`,
    invokedFunctionArn: `arn:aws:lambda:eu-west-2:000000000000:function:cold-start-${mode}`,
    memoryLimitInMB: '256',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  });
  outcome = result && typeof result === 'object' && 'statusCode' in result ? result.statusCode : 'ok';
  if (typeof outcome === 'number' && outcome >= 500)
    process.stderr.write(`${mode}: HTTP ${outcome} ${String(result.body).slice(0, 300)}\n`);
}
const totalMs = performance.now() - started;
process.stdout.write(`${JSON.stringify({ importMs, totalMs, outcome })}\n`);
process.exit(0);
