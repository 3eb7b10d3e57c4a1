/** One picture of the report's page: its heading, inline SVG and the PNG file beside the page. */
export interface Figure {
  readonly title: string;
  readonly svg: string;
  readonly png: string;
}
