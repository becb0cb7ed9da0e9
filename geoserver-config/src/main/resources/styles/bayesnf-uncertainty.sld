<?xml version="1.0" encoding="UTF-8"?>
<!--
  BayesNF uncertainty: the width of the central 95 % predictive interval, q0.975 - q0.025, of the first
  time step. With the default quantile levels 0.025, 0.5, 0.975 a coverage has per time step the bands
  mean, q0.025, q0.5, q0.975, so the width is band 4 - band 2 (Jiffle bands are 0-based: src[3] - src[1]).
  SLD 1.0 cannot subtract bands, so this style uses GeoServer's ras:Jiffle rendering transformation (a
  GeoServer vendor extension to SLD 1.0; needs the WPS/Jiffle support GeoServer ships).
  Colours: the stops of the BayesNF WMS colour ramp YELLOW_RED (wps-process, dev.bayesnf.service.wms.ColorRamp),
  in the same order; StylesTest keeps them identical. Quantities: evenly spaced over 0 to 20, a range
  that suits the demo model (Irish daily wind speed, knots); the service's own WMS stretches the ramp over
  each layer's range instead, so edit the quantities (keep the colours) for other variables.
-->
<StyledLayerDescriptor version="1.0.0"
    xmlns="http://www.opengis.net/sld"
    xmlns:ogc="http://www.opengis.net/ogc"
    xmlns:xlink="http://www.w3.org/1999/xlink"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.0.0/StyledLayerDescriptor.xsd">
  <NamedLayer>
    <Name>bayesnf-uncertainty</Name>
    <UserStyle>
      <Name>bayesnf-uncertainty</Name>
      <Title>BayesNF 95 % interval width</Title>
      <Abstract>Width of the central 95 % predictive interval (q0.975 - q0.025, first time step), light yellow (narrow) to dark red (wide), 0 to 20 in the units of the target.</Abstract>
      <FeatureTypeStyle>
        <Transformation>
          <ogc:Function name="ras:Jiffle">
            <ogc:Function name="parameter">
              <ogc:Literal>coverage</ogc:Literal>
            </ogc:Function>
            <ogc:Function name="parameter">
              <ogc:Literal>script</ogc:Literal>
              <ogc:Literal>dest = src[3] - src[1];</ogc:Literal>
            </ogc:Function>
            <ogc:Function name="parameter">
              <ogc:Literal>outputType</ogc:Literal>
              <ogc:Literal>FLOAT</ogc:Literal>
            </ogc:Function>
          </ogc:Function>
        </Transformation>
        <Rule>
          <Name>uncertainty</Name>
          <Title>95 % predictive interval width</Title>
          <RasterSymbolizer>
            <Opacity>1.0</Opacity>
            <ColorMap type="ramp">
              <ColorMapEntry color="#FFFFCC" quantity="0" opacity="1.0" label="0 kn"/>
              <ColorMapEntry color="#FFEDA0" quantity="2.5" opacity="1.0"/>
              <ColorMapEntry color="#FED976" quantity="5" opacity="1.0"/>
              <ColorMapEntry color="#FEB24C" quantity="7.5" opacity="1.0"/>
              <ColorMapEntry color="#FD8D3C" quantity="10" opacity="1.0"/>
              <ColorMapEntry color="#FC4E2A" quantity="12.5" opacity="1.0"/>
              <ColorMapEntry color="#E31A1C" quantity="15" opacity="1.0"/>
              <ColorMapEntry color="#BD0026" quantity="17.5" opacity="1.0"/>
              <ColorMapEntry color="#800026" quantity="20" opacity="1.0" label="20 kn or more"/>
            </ColorMap>
          </RasterSymbolizer>
        </Rule>
      </FeatureTypeStyle>
    </UserStyle>
  </NamedLayer>
</StyledLayerDescriptor>
