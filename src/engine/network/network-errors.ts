// The network plane's errors, in Docker's words where the docker CLI users know them.
import { AppError, alreadyExists, invalidArgument, notFound } from '../../core/errors.js';

export const networkNotFound = (ref: string) => notFound(`network ${ref} not found`, { suggestions: ['list networks with: docker network ls'] });

/** Docker answers 403/409 for address conflicts; ALREADY_EXISTS maps to 409 */
export const conflict = (message: string, suggestions: string[] = []) => alreadyExists(message, { suggestions });

export const inUse = (name: string, id: string) =>
  new AppError('FAILED_PRECONDITION', `error while removing network: network ${name} id ${id} has active endpoints`, {
    suggestions: [`stop or disconnect its containers first: docker network inspect ${name}`],
  });

export const badRequest = (message: string, suggestions: string[] = []) => invalidArgument(message, { suggestions });
