// Zod failures as one readable line, for every place that validates input from elsewhere
// (the engine, the hosts, the UI). Generic: it knows no schema.
import type { z } from 'zod';

/** Turns zod issues into one line per field, e.g. `batchSize: must be at least 1`. */
export function describeIssues(error: z.ZodError, subject = 'input'): string {
  const lines = error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : subject;
    return `${where}: ${issue.message}`;
  });
  return lines.join('; ');
}
