import type { MongooseQueryMiddleware, Query, Schema } from 'mongoose';

const QUERY_OPERATIONS: MongooseQueryMiddleware[] = [
  'countDocuments',
  'deleteMany',
  'deleteOne',
  'distinct',
  'find',
  'findOne',
  'findOneAndDelete',
  'findOneAndReplace',
  'findOneAndUpdate',
  'replaceOne',
  'updateMany',
  'updateOne',
];

/**
 * Turns on Mongoose's `sanitizeFilter` for every query on a schema: any `$` key that reached a
 * filter from input becomes a literal `$eq` match instead of an operator. Deliberate operators are
 * wrapped in `mongoose.trusted()`. Per schema rather than `mongoose.set` so it can be rolled out
 * module by module (a global switch would silently neuter untrusted-wrapped operators elsewhere).
 */
export function sanitizeFilterPlugin(schema: Schema): void {
  schema.pre(QUERY_OPERATIONS, function (this: Query<unknown, unknown>) {
    this.setOptions({ sanitizeFilter: true });
  });
}
