// Worker thread of LrpThreads (lrp-threads.ts): explains its share of a batch with attributeBatch and sends the
// arrays back without copying them. Models stay here by id (the last few), so weights cross over once.
import { parentPort } from 'node:worker_threads';
import { attributeBatch, parseComposite, type LrpModel } from '../../../src-shared/lrp';
import { KEPT_MODELS, type LrpWorkerReply, type LrpWorkerRequest } from './lrp-threads';

const models = new Map<number, LrpModel>();

parentPort!.on('message', (req: LrpWorkerRequest) => {
  let reply: LrpWorkerReply;
  try {
    if (req.model) {
      models.set(req.modelId, req.model);
      while (models.size > KEPT_MODELS) models.delete(models.keys().next().value!);
    }
    const model = models.get(req.modelId);
    if (!model) throw new Error(`LRP worker: model ${req.modelId} was never sent`);
    const result = attributeBatch(model, req.inputs, req.targets, parseComposite(req.composite));
    reply = { id: req.id, ok: true, result };
    const buffers = [result.relevance, result.logits, result.explainedLogit, result.relevanceSum, result.residual].map((a) => a.buffer as ArrayBuffer);
    parentPort!.postMessage(reply, [...new Set(buffers)]);
  } catch (e) {
    reply = { id: req.id, ok: false, message: (e as Error).message };
    parentPort!.postMessage(reply);
  }
});
