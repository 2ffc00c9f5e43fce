import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * How far the search-token backfill got (one document per backfill, `_id` its name): it resumes
 * after `after` when the server restarts, and never runs again once `completedAt` is set.
 */
@Schema({ collection: 'search_backfill', versionKey: false, strict: 'throw', strictQuery: 'throw' })
export class SearchBackfill {
  @Prop({ type: String, required: true })
  _id!: string;

  /** The last message `_id` handled; absent before the first batch. */
  @Prop({ type: Types.ObjectId })
  after?: Types.ObjectId;

  /** Messages given tokens so far. */
  @Prop({ type: Number, required: true, min: 0 })
  updated!: number;

  @Prop({ type: Date })
  completedAt?: Date;
}

export const SearchBackfillSchema = SchemaFactory.createForClass(SearchBackfill);

export type SearchBackfillRecord = SearchBackfill;
