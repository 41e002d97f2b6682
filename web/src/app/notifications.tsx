import type { FlashbarProps } from '@cloudscape-design/components/flashbar';
import { type ReactNode, Suspense, createContext, lazy, useCallback, useContext, useMemo, useState } from 'react';

// Loaded with the first notice: most visits (the dashboard's first page among them) show none.
const Flashbar = lazy(() => import('@cloudscape-design/components/flashbar'));

interface Notice {
  type: 'success' | 'info' | 'warning' | 'error';
  content: ReactNode;
  header?: ReactNode;
}

const NotifyContext = createContext<((notice: Notice) => void) | undefined>(undefined);
const ItemsContext = createContext<FlashbarProps.MessageDefinition[]>([]);

/** Confirmations that outlive the form that caused them (a saved setting, a created key). */
export function NotificationsProvider({ children, dismissLabel }: { children: ReactNode; dismissLabel: string }) {
  const [items, setItems] = useState<FlashbarProps.MessageDefinition[]>([]);
  const notify = useCallback(
    (notice: Notice) => {
      const id = crypto.randomUUID();
      const dismiss = () => setItems((current) => current.filter((item) => item.id !== id));
      setItems((current) => [{ ...notice, id, dismissible: true, dismissLabel, onDismiss: dismiss }, ...current].slice(0, 3));
    },
    [dismissLabel],
  );
  const value = useMemo(() => items, [items]);
  return (
    <NotifyContext.Provider value={notify}>
      <ItemsContext.Provider value={value}>{children}</ItemsContext.Provider>
    </NotifyContext.Provider>
  );
}

export function useNotify(): (notice: Notice) => void {
  const notify = useContext(NotifyContext);
  if (!notify) throw new Error('useNotify outside NotificationsProvider');
  return notify;
}

export function Notifications() {
  const items = useContext(ItemsContext);
  if (items.length === 0) return null;
  return (
    <Suspense fallback={null}>
      <Flashbar items={items} stackItems={items.length > 2} />
    </Suspense>
  );
}
