<?xml version="1.0" encoding="UTF-8"?>
<!--
  BayesNF predictive mean: band 1 of a bayesnf:Forecast / bayesnf:Interpolate coverage (the mean of
  the first time step) through a perceptually uniform, colour-blind safe ramp (viridis).
  Colours: the stops of the BayesNF WMS colour ramp VIRIDIS (wps-process, dev.bayesnf.service.wms.ColorRamp),
  in the same order; StylesTest keeps them identical. Quantities: evenly spaced over 0 to 30, a range
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
    <Name>bayesnf-mean</Name>
    <UserStyle>
      <Name>bayesnf-mean</Name>
      <Title>BayesNF predictive mean</Title>
      <Abstract>Posterior predictive mean (band 1: first time step) on the viridis ramp, 0 to 30 in the units of the target.</Abstract>
      <FeatureTypeStyle>
        <Rule>
          <Name>mean</Name>
          <Title>Predictive mean</Title>
          <RasterSymbolizer>
            <Opacity>1.0</Opacity>
            <ChannelSelection>
              <GrayChannel>
                <SourceChannelName>1</SourceChannelName>
              </GrayChannel>
            </ChannelSelection>
            <ColorMap type="ramp">
              <ColorMapEntry color="#440154" quantity="0" opacity="1.0" label="0 kn"/>
              <ColorMapEntry color="#482576" quantity="3" opacity="1.0"/>
              <ColorMapEntry color="#414487" quantity="6" opacity="1.0"/>
              <ColorMapEntry color="#35608D" quantity="9" opacity="1.0"/>
              <ColorMapEntry color="#2A788E" quantity="12" opacity="1.0"/>
              <ColorMapEntry color="#21908C" quantity="15" opacity="1.0"/>
              <ColorMapEntry color="#22A884" quantity="18" opacity="1.0"/>
              <ColorMapEntry color="#43BF71" quantity="21" opacity="1.0"/>
              <ColorMapEntry color="#7AD151" quantity="24" opacity="1.0"/>
              <ColorMapEntry color="#BBDF27" quantity="27" opacity="1.0"/>
              <ColorMapEntry color="#FDE725" quantity="30" opacity="1.0" label="30 kn or more"/>
            </ColorMap>
          </RasterSymbolizer>
        </Rule>
      </FeatureTypeStyle>
    </UserStyle>
  </NamedLayer>
</StyledLayerDescriptor>
