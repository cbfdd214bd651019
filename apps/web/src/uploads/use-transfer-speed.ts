import { useEffect, useRef, useState } from 'react';

/** Bytes per second over the last few seconds, sampled once a second. */
export const useTransferSpeed = (loaded: number, active: boolean) => {
  const samples = useRef<{ at: number; loaded: number }[]>([]);
  const latest = useRef(loaded);
  latest.current = loaded;
  const [speed, setSpeed] = useState(0);
  useEffect(() => {
    if (!active) {
      samples.current = [];
      setSpeed(0);
      return;
    }
    const timer = setInterval(() => {
      const now = Date.now();
      samples.current = [...samples.current, { at: now, loaded: latest.current }].slice(-5);
      const first = samples.current[0];
      if (first && now > first.at) {
        setSpeed(Math.max(0, ((latest.current - first.loaded) * 1000) / (now - first.at)));
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [active]);
  return speed;
};
