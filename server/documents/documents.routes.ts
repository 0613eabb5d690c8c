import { Router } from 'express';
import { CreateDocumentInput, Id, PageQuery } from '../../shared/schemas.ts';
import { parse } from '../http/validate.ts';
import type { DocumentsService } from './documents.service.ts';

export function documentsRoutes(documents: DocumentsService): Router {
  const router = Router();

  router.get('/consultations/:id/documents', async (req, res) => {
    res.json(await documents.list(parse(Id, req.params.id), parse(PageQuery, req.query)));
  });

  router.post('/consultations/:id/documents', async (req, res) => {
    res.status(201).json(await documents.create(parse(Id, req.params.id), parse(CreateDocumentInput, req.body)));
  });

  router.get('/documents/:id', async (req, res) => {
    res.json(await documents.get(parse(Id, req.params.id)));
  });

  return router;
}
