// Mantine's PostCSS preset (mixins, rem/em functions) for any CSS written under src/web.
module.exports = {
  plugins: {
    'postcss-preset-mantine': {},
  },
};
