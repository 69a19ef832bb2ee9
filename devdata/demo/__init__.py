"""The demo of Pohjanmaa / Österbotten, one module per app whose data it makes; ``load_demo`` runs them."""
