// The one way the renderer turns a thrown value into text for the person: an Error's message,
// a thrown string as it is, anything else through String() (or the caller's fallback wording).

export function errorMessage(error: unknown, fallback?: string): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return fallback ?? String(error);
}
