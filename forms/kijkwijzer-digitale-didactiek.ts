import type { FormDefinitionInput } from '#shared/forms/definition.ts';

/**
 * Kijkwijzer digitale didactiek: every version, oldest first. Draft content in our own words on
 * TPACK: the technology chosen fits the content and the pedagogy, adds value, is used actively by
 * the pupils, and works in practice. Never edit a published version: add a new one with `version + 1`.
 */
export const versions = [
  {
    id: 'kijkwijzer-digitale-didactiek',
    version: 1,
    kind: 'kijkwijzer',
    kijkwijzerType: 'digitale-didactiek',
    title: 'Kijkwijzer digitale didactiek',
    article: 'de',
    nameInSentence: 'kijkwijzer digitale didactiek',
    intro:
      'Met deze kijkwijzer kijkt u naar de inzet van digitale middelen in de les: past de technologie bij de lesinhoud en de aanpak, voegt ze iets toe, gebruiken leerlingen haar zelf en verloopt het praktisch goed? Geef per onderdeel een score; kies "niet gezien" als iets in deze les niet aan bod kwam. Sluit af met feedback, feed-up en feedforward.',
    draftContent: true,
    basis:
      'De onderdelen zijn in eigen woorden opgesteld op basis van het openbare TPACK-model (Mishra en Koehler): technologische, pedagogische en vakinhoudelijke kennis in samenhang.',
    sections: [
      {
        code: 'KEUZE',
        title: 'Keuze van de technologie',
        items: [
          {
            code: 'DIG-1',
            label: 'De digitale middelen passen bij de lesinhoud',
            help: 'Het middel (app, website, simulatie, presentatie of digibord) helpt de vakinhoud zichtbaar te maken of te oefenen.',
            type: 'scale',
            required: true,
          },
          {
            code: 'DIG-2',
            label: 'De digitale middelen passen bij de didactische aanpak',
            help: 'Het middel ondersteunt wat de student met de leerlingen wil doen, zoals samenwerken, oefenen met directe feedback of onderzoeken.',
            type: 'scale',
            required: true,
          },
          {
            code: 'DIG-3',
            label: 'De technologie heeft een duidelijke meerwaarde',
            help: 'Het middel maakt iets mogelijk of beter dat zonder technologie lastig zou zijn; het is geen doel op zich.',
            type: 'scale',
            required: true,
          },
        ],
      },
      {
        code: 'GEBRUIK',
        title: 'Gebruik door leerlingen',
        items: [
          {
            code: 'DIG-4',
            label: 'Leerlingen gebruiken de technologie zelf actief',
            help: 'Leerlingen maken, onderzoeken, oefenen of delen met het middel in plaats van alleen te kijken.',
            type: 'scale',
            required: true,
          },
          {
            code: 'DIG-5',
            label: 'Houdt zicht op het leren tijdens het digitale werk',
            help: 'Loopt rond of volgt de voortgang op het scherm, voorkomt afleiding en gebruikt wat hij of zij ziet om bij te sturen.',
            type: 'scale',
            required: true,
          },
        ],
      },
      {
        code: 'PRAKTISCH',
        title: 'Praktische uitvoering',
        items: [
          {
            code: 'DIG-6',
            label: 'De praktische organisatie verloopt soepel',
            help: 'Apparaten, accounts en links werken, inloggen kost weinig lestijd en er is een alternatief als de techniek uitvalt.',
            type: 'scale',
            required: true,
          },
          {
            code: 'DIG-7',
            label: 'Gaat zorgvuldig om met privacy en schermgebruik',
            help: 'Gebruikt middelen die de school toestaat, deelt geen persoonsgegevens onnodig en maakt duidelijke afspraken over wanneer schermen open en dicht gaan.',
            type: 'scale',
            required: true,
          },
        ],
      },
      {
        code: 'TERUGKOPPELING',
        title: 'Terugkoppeling aan de student',
        help: 'Schrijf concreet en in gewone taal; de student bespreekt uw terugkoppeling in het driehoeksgesprek.',
        items: [
          {
            code: 'GOED',
            label: 'Wat ging goed?',
            help: 'Noem één of twee concrete momenten uit de les.',
            type: 'text',
            required: false,
          },
          {
            code: 'FEEDBACK',
            label: 'Feedback',
            help: 'Hoe ging het? Beschrijf wat u zag en welk effect dat had op de leerlingen.',
            type: 'text',
            required: true,
          },
          {
            code: 'FEEDUP',
            label: 'Feed-up',
            help: 'Waar werkt de student naartoe? Noem het doel of de leeruitkomst waaraan deze les bijdraagt.',
            type: 'text',
            required: true,
          },
          {
            code: 'FEEDFORWARD',
            label: 'Feedforward',
            help: 'Wat is de volgende stap? Geef een concrete tip of opdracht voor een volgende les.',
            type: 'text',
            required: true,
          },
        ],
      },
    ],
  },
] satisfies FormDefinitionInput[];
