/** @module web/ui/workbench-main (placeholder until the workbench lands) */
export {}
