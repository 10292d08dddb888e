// Trained models: what the Models page, `gaitlab models` and `gaitlab model <id>` show.
import { z } from 'zod';

const modelId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'ids are letters, digits and _.:-');

export const modelSummary = z.object({
  id: z.string(),
  method: z.string(),
  methodVersion: z.string().nullable(),
  name: z.string(),
  jobId: z.string().nullable(),
  createdAt: z.string(),
  /** Every parameter, defaults included, as the fit ran with them. */
  params: z.record(z.string(), z.unknown()),
  seed: z.number().nullable(),
  backend: z.string().nullable(),
  gaitlabVersion: z.string().nullable(),
  /** Numbers (testAccuracy, trainAccuracy, finalLoss, …) and, for classifiers, classes, confusion (rows: true class), counts. */
  metrics: z.record(z.string(), z.unknown()).nullable(),
});
export type ModelSummary = z.infer<typeof modelSummary>;

export const modelDetail = modelSummary.extend({
  architecture: z.record(z.string(), z.unknown()).nullable(),
  preprocessing: z.record(z.string(), z.unknown()).nullable(),
  /** Cohort, channels, and every trial used with its content hash; the train/test split by trial id. */
  dataSelection: z.record(z.string(), z.unknown()).nullable(),
  weights: z.array(z.object({ name: z.string(), shape: z.array(z.number()), dtype: z.string() })),
  actor: z.string().nullable(),
});
export type ModelDetail = z.infer<typeof modelDetail>;

export const modelsApi = {
  listModels: { request: z.object({}).strict(), response: z.object({ models: z.array(modelSummary) }) },
  getModel: { request: z.object({ id: modelId }).strict(), response: z.object({ model: modelDetail }) },
  /** Deletes a model; the deletion is audited with what the model was. */
  deleteModel: { request: z.object({ id: modelId }).strict(), response: z.object({ deleted: z.string() }) },
} as const;
