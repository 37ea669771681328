import type { MarkerShape } from '../map/layers';
import { COLOURS } from '../map/layers';

/** The same shapes as the map markers (map/style.ts), for the legend and the layer list. */
export function MarkerSymbol({
  shape,
  colour,
  size = 14,
}: {
  shape: MarkerShape;
  colour: string;
  size?: number;
}) {
  const stroke = { stroke: COLOURS.markerEdge, strokeWidth: 1.2 };
  return (
    <svg
      className="marker-symbol"
      width={size}
      height={size}
      viewBox="0 0 16 16"
      aria-hidden="true"
    >
      {shape === 'diamond' && <polygon points="8,1 15,8 8,15 1,8" fill={colour} {...stroke} />}
      {shape === 'triangle' && <polygon points="8,1.5 15,13.5 1,13.5" fill={colour} {...stroke} />}
      {shape === 'circle' && <circle cx="8" cy="8" r="5.6" fill={colour} {...stroke} />}
      {shape === 'square' && (
        <>
          <rect x="2.4" y="2.4" width="11.2" height="11.2" fill={colour} {...stroke} />
          <rect x="7.2" y="4.2" width="1.6" height="4.6" fill={COLOURS.markerEdge} />
          <rect x="7.2" y="10" width="1.6" height="1.6" fill={COLOURS.markerEdge} />
        </>
      )}
    </svg>
  );
}
