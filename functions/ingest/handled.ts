/** A promise awaited later, maybe never (an early return): its rejection is not "unhandled" meanwhile. */
export const handled = <T>(promise: Promise<T>): Promise<T> => {
  promise.catch(() => undefined);
  return promise;
};
