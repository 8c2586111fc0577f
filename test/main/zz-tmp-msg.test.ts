import { it } from 'vitest';
import { studioContract } from '../../src/shared/studio-contract';
import { describeIssues } from '../../src/shared/training-config';
it('print', () => {
  for (const [schema, p] of [[studioContract.startTraining.request, { epochs: 1, batchSize: 0, evil: 1 }], [studioContract.pauseTraining.request, {now:true}], [studioContract.predict.request, [[0.5]]]] as const) {
    const r = (schema as any).safeParse(p); console.log(describeIssues(r.error, 'payload'));
  }
});
