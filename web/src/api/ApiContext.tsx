import { createContext, useContext, type ReactNode } from 'react';
import type { ApiClient } from './client';
import type { CruddurConfig } from '../config';

interface ApiValue {
  api: ApiClient;
  config: CruddurConfig;
}

const ApiContext = createContext<ApiValue | null>(null);

export function ApiProvider({ api, config, children }: ApiValue & { children: ReactNode }) {
  return <ApiContext.Provider value={{ api, config }}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiValue {
  const v = useContext(ApiContext);
  if (!v) throw new Error('useApi outside ApiProvider');
  return v;
}
